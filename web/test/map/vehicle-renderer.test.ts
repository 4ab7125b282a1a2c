import { describe, expect, it } from 'vitest';
import { chooseVehicleRenderer, parseRendererParam } from '../../src/map/vehicle-renderer.ts';

describe('vehicle renderer', () => {
  it('vehicle renderer: ?renderer= picks gl or canvas; anything else leaves the choice to the browser', () => {
    expect(parseRendererParam('?renderer=gl&z=12')).toBe('gl');
    expect(parseRendererParam('?c=1,2&renderer=canvas')).toBe('canvas');
    expect(parseRendererParam('?renderer=dom')).toBeNull();
    expect(parseRendererParam('')).toBeNull();
  });

  it('vehicle renderer: an explicit choice wins over detection', () => {
    expect(chooseVehicleRenderer('gl')).toBe('gl');
    expect(chooseVehicleRenderer('canvas')).toBe('canvas');
  });
});
