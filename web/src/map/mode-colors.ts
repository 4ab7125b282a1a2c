/** HSL's own mode colours, one table for the icons, the dots, the legend and the network lines. */
import type { TransportMode } from '@realtimemap/shared';

export const MODE_COLORS: Readonly<Record<TransportMode, string>> = {
  bus: '#007AC9',
  tram: '#00985F',
  train: '#8C4799',
  metro: '#FF6319',
  ferry: '#00B9E4',
  ubus: '#007AC9',
  robot: '#007AC9',
  unknown: '#666666',
};

/** Vehicles of a disconnected page: last-known positions, drawn grey. */
export const STALE_COLOR = '#8a8a8a';

export const LEGEND_MODES: readonly TransportMode[] = ['bus', 'tram', 'train', 'metro', 'ferry'];
