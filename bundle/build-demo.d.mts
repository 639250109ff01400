export const DEMO_VERSION: string;
export const SERVICES: string[];
export function artifactFile(service: string): string;
export function artifactText(source: string, service: string): string;
export function sha256(text: string): string;
export function manifestText(artifacts: Array<Record<string, string>>): string;
export function buildDemoBundle(bundleDir?: string): Record<string, string>;
