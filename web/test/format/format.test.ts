import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatDelay,
  formatDoors,
  formatOccupancy,
  formatSpeed,
} from '../../src/format/format.ts';

describe('format', () => {
  it('format: delay is mm:ss late or early', () => {
    expect(formatDelay(187)).toBe('3:07 late');
    expect(formatDelay(-45)).toBe('0:45 early');
    expect(formatDelay(0)).toBe('on time');
    expect(formatDelay(null)).toBe('—');
  });

  it('format: speed is km/h from m/s', () => {
    expect(formatSpeed(10)).toBe('36 km/h');
    expect(formatSpeed(null)).toBe('—');
  });

  it('format: doors, occupancy and age read naturally', () => {
    expect(formatDoors(true)).toBe('open');
    expect(formatDoors(false)).toBe('closed');
    expect(formatDoors(null)).toBe('unknown');
    expect(formatOccupancy(100)).toBe('full');
    expect(formatOccupancy(40)).toBe('40 %');
    expect(formatAgo(4_400)).toBe('4 s ago');
    expect(formatAgo(125_000)).toBe('2 min ago');
  });
});
