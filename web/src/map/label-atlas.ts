/**
 * Line labels ("64", "550", "M1") drawn once each with the system font onto one canvas, which the
 * vehicle layer uses as a texture: a label costs a canvas fillText the first time its line is seen and
 * nothing per frame. Shelf packing; when the canvas is full it is cleared and refilled on demand
 * (`generation` tells the layer to rebuild its label coordinates).
 */
import type { LabelLookup, LabelRect } from './vehicle-instances.ts';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';
const WIDTH = 1024;
const HEIGHT = 512;
const ROW = 16;

export class LabelAtlas implements LabelLookup {
  readonly canvas: HTMLCanvasElement;
  /** Device pixels per CSS pixel in the canvas. */
  readonly pixelRatio: number;
  /** Bumped when the canvas changed (upload again). */
  version = 0;
  /** Bumped when the canvas was cleared (every label moved). */
  generation = 0;
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly rects = new Map<string, LabelRect>();
  private x = 0;
  private y = 0;

  constructor(pixelRatio: number) {
    this.pixelRatio = Math.min(2, Math.max(1, pixelRatio));
    this.canvas = document.createElement('canvas');
    this.canvas.width = WIDTH * this.pixelRatio;
    this.canvas.height = HEIGHT * this.pixelRatio;
    this.ctx = this.canvas.getContext('2d');
  }

  get widthCss(): number {
    return WIDTH;
  }

  get heightCss(): number {
    return HEIGHT;
  }

  rect(text: string): LabelRect | null {
    const known = this.rects.get(text);
    if (known) return known;
    const ctx = this.ctx;
    if (!ctx) return null;
    const size = text.length > 3 ? 8.5 : 10;
    ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0);
    ctx.font = `700 ${size}px ${FONT}`;
    const width = Math.min(60, Math.ceil(ctx.measureText(text).width) + 4);
    if (this.x + width > WIDTH) {
      this.x = 0;
      this.y += ROW;
    }
    if (this.y + ROW > HEIGHT) this.clear();
    const r: LabelRect = { u: this.x / WIDTH, v: this.y / HEIGHT, width, height: ROW };
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, this.x + width / 2, this.y + ROW / 2 + 0.5, width);
    this.x += width + 2;
    this.rects.set(text, r);
    this.version++;
    return r;
  }

  private clear(): void {
    this.ctx?.clearRect(0, 0, WIDTH, HEIGHT);
    this.rects.clear();
    this.x = 0;
    this.y = 0;
    this.generation++;
  }
}
