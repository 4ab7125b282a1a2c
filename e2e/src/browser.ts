/**
 * Debian's Chromium through playwright-core. Never downloads a browser: without /usr/bin/chromium the
 * e2e tests skip with a one-line reason, and under CI=true they fail instead.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserCheck {
  readonly available: boolean;
  /** Empty when available, else " (skipped: ...)". */
  readonly reason: string;
}

export function checkChromium(): BrowserCheck {
  if (existsSync(CHROMIUM_PATH)) return { available: true, reason: '' };
  const why = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-dejavu-core)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${why}`);
  console.warn(`skip: ${why}`);
  return { available: false, reason: ` (skipped: ${why})` };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The closed network here refuses Chromium's own background connections: switch them off.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-gl=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}
