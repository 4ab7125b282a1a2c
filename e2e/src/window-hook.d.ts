/**
 * The part of the web app's read-only debug hook (web/src/debug-hook.ts) that the scenarios use,
 * typed here so e2e does not compile the web app's sources.
 */
export {};

interface MapLike {
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  project(lngLat: [number, number]): { x: number; y: number };
  getCanvas(): HTMLCanvasElement;
  getSource(id: string): unknown;
  jumpTo(options: { center: [number, number]; zoom?: number }): void;
  once(event: 'render', listener: () => void): unknown;
  triggerRepaint(): void;
}

declare global {
  interface Window {
    __realtimemap?: {
      readonly map: MapLike | null;
      ready(): boolean;
      renderedVehicles(): {
        id: string;
        lon: number;
        lat: number;
        line: string | null;
        color: string;
        stale: boolean;
      }[];
      renderer(): 'gl' | 'canvas';
      ui(): {
        selectedId: string | null;
        following: boolean;
        modes: string[];
        connection: string;
        userPosition: [number, number] | null;
        nearby: { vehicleId: string; line: string | null; meters: number }[];
      };
    };
  }
}
