/** The `--feed` switch: where positions come from. */
export type FeedSpec =
  | { readonly kind: 'sim' }
  | { readonly kind: 'live'; readonly url: string }
  | { readonly kind: 'mqtt'; readonly url: string }
  | { readonly kind: 'replay'; readonly file: string };

export const LIVE_HSL_URL = 'mqtts://mqtt.hsl.fi:8883';
/** All vehicle positions of all modes of ongoing journeys. */
export const DEFAULT_TOPIC_FILTER = '/hfp/v2/journey/ongoing/vp/#';

/** Pure: `sim`, `live`, `mqtt://...` / `mqtts://...` / `ws(s)://...`, or `replay:<file>`. */
export function parseFeedSpec(value: string): FeedSpec | { readonly error: string } {
  if (value === 'sim') return { kind: 'sim' };
  if (value === 'live') return { kind: 'live', url: LIVE_HSL_URL };
  if (value.startsWith('replay:')) {
    const file = value.slice('replay:'.length);
    return file ? { kind: 'replay', file } : { error: 'replay: needs a file, as in replay:capture.hfp' };
  }
  if (/^(mqtts?|wss?):\/\/[^/]+/.test(value)) {
    try {
      new URL(value);
      return { kind: 'mqtt', url: value };
    } catch {
      return { error: `not a URL: ${value}` };
    }
  }
  return { error: 'one of sim, live, mqtt://host:port, mqtts://..., replay:<file>' };
}

/** What /api/status and the client call the mode. */
export function feedModeOf(spec: FeedSpec): 'live' | 'simulated' | 'replay' {
  return spec.kind === 'sim' ? 'simulated' : spec.kind === 'replay' ? 'replay' : 'live';
}
