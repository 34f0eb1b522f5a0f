-- CreateTable
CREATE TABLE "policy_set_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "policy_set_version_pkey" PRIMARY KEY ("id")
);

-- The one row, and the trigger that bumps it in the transaction of every change to a policy
-- (insert, update, delete, truncate): decisions key their in-memory policy sets by it.
INSERT INTO "policy_set_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "policy_set_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "policy_set_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "policies_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "policies"
  FOR EACH STATEMENT EXECUTE FUNCTION "policy_set_changed"();
