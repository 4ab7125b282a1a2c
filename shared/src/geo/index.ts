// Geo helpers for browser and node. cheap-ruler for the hot paths (distances at city scale),
// point-in-polygon-hao for robust polygon tests.
export { bboxContains } from './bbox-contains.ts';
export { bearingDegrees } from './bearing-degrees.ts';
export { distanceMeters } from './distance-meters.ts';
export { isValidLonLat, type LonLat } from './lon-lat.ts';
export { type PolygonRings, pointInPolygon } from './point-in-polygon.ts';
export { pointToSegmentMeters } from './point-to-segment-meters.ts';
export { type Ruler, rulerAt } from './ruler.ts';
