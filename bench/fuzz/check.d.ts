/** Types for check.js. */
export const ORG_REPOSITORIES: string[];
export const LISTENER: string;
export const SENDER: string;
export function crashOf(run: { exitCode: number; stdout: string; stderr: string }): string | undefined;
