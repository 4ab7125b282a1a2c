/** The network the simulator drives: a GTFS feed when `--gtfs` names one, else the built-in Helsinki. */
import type { Config } from '../config/load-config.ts';
import { loadGtfsNetwork, type Network, network } from '../sim/index.ts';

export function simulationNetwork(config: Config): Network {
  return config.gtfs ? loadGtfsNetwork(config.gtfs) : network();
}
