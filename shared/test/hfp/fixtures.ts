// Realistic HFP v2 messages for the tests, modelled on the live feed (field order and formats).

export const VP_TOPIC =
  '/hfp/v2/journey/ongoing/vp/bus/0018/00678/1065/2/Rautatientori/06:05/1020201/4/60;24/19/74/38';

export const VP_BODY: Record<string, unknown> = {
  desi: '65',
  dir: '2',
  oper: 6,
  veh: 678,
  tst: '2023-10-30T04:31:53.023Z',
  tsi: 1698640313,
  spd: 9.0,
  hdg: 203,
  lat: 60.173036,
  long: 24.948786,
  acc: 0.51,
  dl: 7,
  odo: 8734,
  drst: 0,
  oday: '2023-10-30',
  jrn: 444,
  line: 850,
  start: '06:05',
  loc: 'GPS',
  stop: null,
  route: '1065',
  occu: 0,
};

/** `{"VP": {...VP_BODY, ...changes}}` with keys in `changes` set to `undefined` left out. */
export function vpPayload(changes: Record<string, unknown> = {}, key = 'VP'): string {
  return JSON.stringify({ [key]: { ...VP_BODY, ...changes } });
}

/** A journey topic with one level replaced (levels counted after the leading slash, 0 = prefix). */
export function topicWith(level: number, value: string, topic = VP_TOPIC): string {
  const parts = topic.split('/');
  parts[level + 1] = value;
  return parts.join('/');
}
