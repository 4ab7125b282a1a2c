/**
 * Small bitmaps the 2D vehicle layer stamps with drawImage, each drawn once on first use: the disc with
 * its heading arrow and line label (per colour, 10° of heading and line), the plain dot (per colour and
 * size), the door mark. Stamping cached bitmaps is the cheapest thing a software-rendered canvas can do.
 */
import { ARROW_LENGTH, DISC_RADIUS } from './vehicle-sizes.ts';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';
export const HEADING_STEPS = 36;
const MAX_VEHICLE_SPRITES = 8_000;
/** Side of a disc sprite, CSS px: the disc, its outline and the arrow turned any way. */
export const DISC_SPRITE = 2 * Math.ceil(DISC_RADIUS + ARROW_LENGTH + 1.5);

export interface Sprite {
  /** An ImageBitmap where the browser can make one synchronously (cheapest to stamp), else a canvas. */
  readonly image: CanvasImageSource;
  /** Size in CSS px (the bitmap is pixelRatio times larger). */
  readonly width: number;
  readonly height: number;
}

export class VehicleSprites {
  private readonly cache = new Map<string, Sprite | null>();
  private readonly vehicles = new Map<string, Sprite | null>();

  constructor(readonly pixelRatio: number) {}

  /**
   * The detail-zoom vehicle: disc, white outline, arrow towards `headingStep` (null: no heading) and
   * its line label, in one bitmap: one drawImage per vehicle instead of two. A city has a few thousand
   * such combinations; the cache is dropped and refilled if it ever holds more than MAX_VEHICLE_SPRITES.
   */
  vehicle(color: string, headingStep: number | null, line: string | null): Sprite | null {
    const key = `${color}|${headingStep ?? '-'}|${line ?? ''}`;
    const known = this.vehicles.get(key);
    if (known !== undefined) return known;
    if (this.vehicles.size >= MAX_VEHICLE_SPRITES) this.vehicles.clear();
    const sprite = this.make(DISC_SPRITE, DISC_SPRITE, (ctx) => {
      this.paintDisc(ctx, color, headingStep);
      if (line) {
        const size = line.length > 3 ? 8.5 : 10;
        ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0);
        ctx.font = `700 ${size}px ${FONT}`;
        ctx.fillStyle = '#ffffff';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(line, DISC_SPRITE / 2, DISC_SPRITE / 2 + 0.5, 2 * DISC_RADIUS + 4);
      }
    });
    this.vehicles.set(key, sprite);
    return sprite;
  }

  private paintDisc(ctx: CanvasRenderingContext2D, color: string, headingStep: number | null): void {
    const c = DISC_SPRITE / 2;
    const r = DISC_RADIUS;
    ctx.translate(c, c);
    ctx.fillStyle = color;
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (headingStep !== null) {
      ctx.rotate((headingStep * 2 * Math.PI) / HEADING_STEPS);
      // A teardrop: the disc with a point towards the heading (up before rotation).
      ctx.moveTo(0, -r - ARROW_LENGTH);
      ctx.lineTo(r * 0.72, -r * 0.69);
      ctx.arc(0, 0, r, -Math.PI / 4, (-3 * Math.PI) / 4 + 2 * Math.PI);
      ctx.closePath();
    } else {
      ctx.arc(0, 0, r, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.stroke();
  }

  /** The low-zoom dot, radius and outline in CSS px (rounded to a quarter pixel for the cache). */
  dot(color: string, radius: number, outline: number): Sprite | null {
    const r = Math.round(radius * 4) / 4;
    const o = Math.round(outline * 4) / 4;
    const side = 2 * Math.ceil(r + o + 1);
    return this.get(`o${color}${r}/${o}`, side, side, (ctx) => {
      ctx.beginPath();
      ctx.arc(side / 2, side / 2, r, 0, Math.PI * 2);
      ctx.fillStyle = color;
      ctx.fill();
      if (o > 0) {
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = o;
        ctx.stroke();
      }
    });
  }

  doors(): Sprite | null {
    return this.get('doors', 11, 11, (ctx) => {
      ctx.beginPath();
      ctx.arc(5.5, 5.5, 4, 0, Math.PI * 2);
      ctx.fillStyle = '#FFD200';
      ctx.fill();
      ctx.strokeStyle = '#333333';
      ctx.lineWidth = 1;
      ctx.stroke();
    });
  }

  private get(
    key: string,
    width: number,
    height: number,
    paint: (ctx: CanvasRenderingContext2D) => void,
  ): Sprite | null {
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    const sprite = this.make(width, height, paint);
    this.cache.set(key, sprite);
    return sprite;
  }

  private make(width: number, height: number, paint: (ctx: CanvasRenderingContext2D) => void): Sprite | null {
    const w = Math.ceil(width * this.pixelRatio);
    const h = Math.ceil(height * this.pixelRatio);
    let sprite: Sprite | null = null;
    if (typeof OffscreenCanvas !== 'undefined') {
      const off = new OffscreenCanvas(w, h);
      const ctx = off.getContext('2d');
      if (ctx) {
        ctx.scale(this.pixelRatio, this.pixelRatio);
        paint(ctx as unknown as CanvasRenderingContext2D);
        sprite = { image: off.transferToImageBitmap(), width, height };
      }
    } else {
      const image = document.createElement('canvas');
      image.width = w;
      image.height = h;
      const ctx = image.getContext('2d');
      if (ctx) {
        ctx.scale(this.pixelRatio, this.pixelRatio);
        paint(ctx);
        sprite = { image, width, height };
      }
    }
    return sprite;
  }
}
