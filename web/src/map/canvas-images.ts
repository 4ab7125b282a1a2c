/**
 * Map images drawn on a canvas when MapLibre first asks for them (`styleimagemissing`), so there is no
 * sprite server and no glyph server: vehicle discs with a heading arrow, and text labels in the system
 * font. Ids: `veh:<colour>:<arrow 0|1>`, `lbl:<text>` (white on a vehicle), `txt:<text>` (map label).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';

const PIXEL_RATIO = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';

function canvas(width: number, height: number): CanvasRenderingContext2D | null {
  const c = document.createElement('canvas');
  c.width = width * PIXEL_RATIO;
  c.height = height * PIXEL_RATIO;
  const ctx = c.getContext('2d');
  ctx?.scale(PIXEL_RATIO, PIXEL_RATIO);
  return ctx;
}

function vehicleImage(color: string, arrow: boolean): ImageData | null {
  const size = 34;
  const ctx = canvas(size, size);
  if (!ctx) return null;
  const c = size / 2;
  const r = 10.5;
  ctx.fillStyle = color;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 2;
  if (arrow) {
    // A teardrop: the disc with a point towards the top (north before rotation).
    ctx.beginPath();
    ctx.moveTo(c, c - r - 6.5);
    ctx.lineTo(c + r * 0.72, c - r * 0.69);
    ctx.arc(c, c, r, -Math.PI / 4, (-3 * Math.PI) / 4 + 2 * Math.PI);
    ctx.closePath();
  } else {
    ctx.beginPath();
    ctx.arc(c, c, r, 0, Math.PI * 2);
  }
  ctx.fill();
  ctx.stroke();
  return ctx.getImageData(0, 0, size * PIXEL_RATIO, size * PIXEL_RATIO);
}

function textImage(text: string, onVehicle: boolean, dark: boolean): ImageData | null {
  const fontSize = onVehicle ? (text.length > 3 ? 8.5 : 10) : 12;
  const font = `${onVehicle ? 700 : 500} ${fontSize}px ${FONT}`;
  const probe = canvas(1, 1);
  if (!probe) return null;
  probe.font = font;
  const width = Math.ceil(probe.measureText(text).width) + 6;
  const height = Math.ceil(fontSize * 1.5);
  const ctx = canvas(width, height);
  if (!ctx) return null;
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  if (onVehicle) {
    ctx.fillStyle = '#ffffff';
  } else {
    ctx.lineWidth = 3;
    ctx.strokeStyle = dark ? 'rgba(20,20,24,0.9)' : 'rgba(255,255,255,0.9)';
    ctx.strokeText(text, width / 2, height / 2);
    ctx.fillStyle = dark ? '#e6e6e6' : '#333333';
  }
  ctx.fillText(text, width / 2, height / 2);
  return ctx.getImageData(0, 0, width * PIXEL_RATIO, height * PIXEL_RATIO);
}

/** Installs the on-demand image generator on a map. `isDark` is read when an image is generated. */
export function installCanvasImages(map: MapLibreMap, isDark: () => boolean): void {
  map.on('styleimagemissing', (e: { id: string }) => {
    const id = e.id;
    if (map.hasImage(id)) return;
    let image: ImageData | null = null;
    if (id.startsWith('veh:')) {
      const [, color, arrow] = id.split(':');
      image = vehicleImage(color ?? '#666', arrow === '1');
    } else if (id.startsWith('lbl:')) {
      image = textImage(id.slice(4), true, false);
    } else if (id.startsWith('txt:')) {
      image = textImage(id.slice(4), false, isDark());
    }
    if (image) map.addImage(id, image, { pixelRatio: PIXEL_RATIO });
  });
}
