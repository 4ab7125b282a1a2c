/**
 * The vehicles on a 2D canvas over the map, for browsers whose WebGL is software-rendered (no GPU):
 * there every MapLibre repaint costs a whole-map rasterisation and readback, so moving vehicles must not
 * repaint the map. This canvas is redrawn instead: cached sprites stamped with drawImage, positions from
 * the same typed arrays the GL layer uses, placed with the map's camera (pitch is fixed at 0).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  FLAG_DOORS,
  FLAG_FAVOURITE,
  FLAG_HEADING,
  FLAG_SELECTED,
  mercatorX,
  mercatorY,
  STYLE_FLOATS,
  type VehicleInstances,
} from './vehicle-instances.ts';
import { vehicleSizes } from './vehicle-sizes.ts';
import { HEADING_STEPS, VehicleSprites } from './vehicle-sprites.ts';

/** Sprites reach this far from a vehicle's centre: vehicles further off-screen are skipped. */
const MARGIN = 30;

export class VehicleCanvasLayer {
  readonly stats = { draws: 0, drawMs: 0 };
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly sprites: VehicleSprites;
  private readonly ratio: number;

  constructor(
    private readonly map: MapLibreMap,
    private readonly instances: VehicleInstances,
  ) {
    this.ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    this.sprites = new VehicleSprites(this.ratio);
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'vehicle-canvas';
    this.canvas.dataset.testid = 'vehicle-canvas';
    this.canvas.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;';
    map.getCanvasContainer().appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d');
  }

  remove(): void {
    this.canvas.remove();
  }

  draw(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const t0 = performance.now();
    const map = this.map;
    const mapCanvas = map.getCanvas();
    const w = mapCanvas.clientWidth;
    const h = mapCanvas.clientHeight;
    const ratio = this.ratio;
    if (this.canvas.width !== Math.round(w * ratio) || this.canvas.height !== Math.round(h * ratio)) {
      this.canvas.width = Math.round(w * ratio);
      this.canvas.height = Math.round(h * ratio);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${h}px`;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const inst = this.instances;
    const zoom = map.getZoom();
    const sizes = vehicleSizes(zoom);
    const worldPx = 512 * 2 ** zoom;
    const c = map.getCenter();
    const cx = mercatorX(c.lng);
    const cy = mercatorY(c.lat);
    const bearing = (map.getBearing() * Math.PI) / 180;
    const cos = Math.cos(bearing);
    const sin = Math.sin(bearing);
    const snap = (v: number) => Math.round(v * ratio) / ratio;
    const { merc, style } = inst;
    const doors = sizes.detail ? this.sprites.doors() : null;
    let alpha = -1;
    for (let i = 0; i < inst.count; i++) {
      const dx = ((merc[2 * i] ?? 0) - cx) * worldPx;
      const dy = ((merc[2 * i + 1] ?? 0) - cy) * worldPx;
      const x = w / 2 + dx * cos + dy * sin;
      const y = h / 2 - dx * sin + dy * cos;
      if (x < -MARGIN || y < -MARGIN || x > w + MARGIN || y > h + MARGIN) continue;
      const k = i * STYLE_FLOATS;
      const a = (style[k + 3] ?? 1) * sizes.opacity;
      if (a !== alpha) {
        ctx.globalAlpha = a;
        alpha = a;
      }
      const flags = style[k + 5] ?? 0;
      const color = inst.colorAt(i);
      if (flags & (FLAG_SELECTED | FLAG_FAVOURITE)) this.rings(ctx, x, y, flags, sizes.detail, sizes.radius);
      if (sizes.detail) {
        const turn = Math.round((((style[k + 4] ?? 0) - bearing) * HEADING_STEPS) / (2 * Math.PI));
        const step = flags & FLAG_HEADING ? ((turn % HEADING_STEPS) + HEADING_STEPS) % HEADING_STEPS : null;
        const sprite = this.sprites.vehicle(color, step, inst.lineAt(i));
        if (sprite) {
          ctx.drawImage(
            sprite.image,
            snap(x - sprite.width / 2),
            snap(y - sprite.height / 2),
            sprite.width,
            sprite.height,
          );
        }
        if (doors && flags & FLAG_DOORS) {
          ctx.drawImage(
            doors.image,
            snap(x + 10 - doors.width / 2),
            snap(y - 10 - doors.height / 2),
            doors.width,
            doors.height,
          );
        }
      } else {
        const dot = this.sprites.dot(color, sizes.radius, sizes.outline);
        if (dot)
          ctx.drawImage(dot.image, snap(x - dot.width / 2), snap(y - dot.height / 2), dot.width, dot.height);
      }
    }
    ctx.globalAlpha = 1;
    inst.markPainted();
    this.stats.draws++;
    this.stats.drawMs += performance.now() - t0;
  }

  /** The selected vehicle's ring and a favourite route's ring (few vehicles: drawn as paths). */
  private rings(
    ctx: CanvasRenderingContext2D,
    x: number,
    y: number,
    flags: number,
    detail: 0 | 1,
    r: number,
  ): void {
    if (flags & FLAG_SELECTED) {
      ctx.beginPath();
      ctx.arc(x, y, detail ? 19 : r + 6, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(228,0,124,0.15)';
      ctx.fill();
      ctx.strokeStyle = '#e4007c';
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    if (flags & FLAG_FAVOURITE) {
      ctx.beginPath();
      ctx.arc(x, y, detail ? 15 : r + 3.5, 0, Math.PI * 2);
      ctx.strokeStyle = '#FFC20E';
      ctx.lineWidth = 3;
      ctx.stroke();
    }
  }
}
