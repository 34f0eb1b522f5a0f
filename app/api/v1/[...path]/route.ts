// Any other /api/v1 path: a JSON 404, as every admin API error is JSON.
import { errorResponse } from "@/server/api/operation";

const notFound = () => errorResponse(404, "not_found", "No such API endpoint. See /api/v1/openapi.json.");

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
