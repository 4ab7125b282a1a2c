// tiny-osmpbf ships no types: the slice of its OSM-JSON result the network check reads.
declare module 'tiny-osmpbf' {
  interface OsmNode {
    type: 'node';
    id: number;
    lat: number;
    lon: number;
    tags?: Record<string, string>;
  }
  interface OsmWay {
    type: 'way';
    id: number;
    nodes: number[];
    tags?: Record<string, string>;
  }
  interface OsmRelation {
    type: 'relation';
    id: number;
    tags?: Record<string, string>;
  }
  interface OsmData {
    bounds?: { minlat: number; minlon: number; maxlat: number; maxlon: number };
    elements: (OsmNode | OsmWay | OsmRelation)[];
  }
  function tinyosmpbf(data: Uint8Array): OsmData;
  export default tinyosmpbf;
}
