/**
 * The REST error catalogue: each problem has a stable code, an HTTP status and a title. Bodies are
 * RFC 9457 problem details (`application/problem+json`).
 */
import type { Problem } from '@realtimemap/shared';

export const PROBLEMS = {
  HTTP_BAD_REQUEST: { status: 400, title: 'Bad request' },
  HTTP_NOT_FOUND: { status: 404, title: 'Not found' },
  HTTP_VEHICLE_NOT_FOUND: { status: 404, title: 'Unknown vehicle' },
  HTTP_ORGANIZATION_NOT_FOUND: { status: 404, title: 'Unknown organization' },
  HTTP_WEB_NOT_BUILT: { status: 503, title: 'Web app not built' },
  HTTP_INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export class HttpProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function problem(code: ProblemCode, detail: string): Problem {
  const p = PROBLEMS[code];
  return { type: `urn:realtimemap:problem:${code}`, title: p.title, status: p.status, detail, code };
}
