/**
 * What the render bench and the screenshot/profile scripts share: the offline client configuration the
 * static app serves, and Debian's Chromium (never downloaded) with its background connections off,
 * since the closed network here refuses them.
 */
import { type ClientConfig, PROTOCOL_VERSION } from '@realtimemap/shared';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The offline style, centred on the city, as the server would configure a simulated feed. */
export const OFFLINE_CONFIG: ClientConfig = {
  styleUrl: null,
  feedMode: 'simulated',
  protocolVersion: PROTOCOL_VERSION,
  center: [24.94, 60.175],
  zoom: 13,
};

export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
