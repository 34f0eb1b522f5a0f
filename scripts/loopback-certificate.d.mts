export function loopbackCertificate(dir: string): { cert: string; key: string };
