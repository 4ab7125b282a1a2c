/**
 * Map images drawn on a canvas when MapLibre first asks for them (`styleimagemissing`), so there is no
 * sprite server and no glyph server: text labels in the system font, id `txt:<text>` (place and zone
 * names). The vehicles draw their own (vehicle-sprites.ts, label-atlas.ts).
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

function textImage(text: string, dark: boolean): ImageData | null {
  const fontSize = 12;
  const font = `500 ${fontSize}px ${FONT}`;
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
  ctx.lineWidth = 3;
  ctx.strokeStyle = dark ? 'rgba(20,20,24,0.9)' : 'rgba(255,255,255,0.9)';
  ctx.strokeText(text, width / 2, height / 2);
  ctx.fillStyle = dark ? '#e6e6e6' : '#333333';
  ctx.fillText(text, width / 2, height / 2);
  return ctx.getImageData(0, 0, width * PIXEL_RATIO, height * PIXEL_RATIO);
}

/** Installs the on-demand image generator on a map. `isDark` is read when an image is generated. */
export function installCanvasImages(map: MapLibreMap, isDark: () => boolean): void {
  map.on('styleimagemissing', (e: { id: string }) => {
    const id = e.id;
    if (map.hasImage(id)) return;
    let image: ImageData | null = null;
    if (id.startsWith('txt:')) {
      image = textImage(id.slice(4), isDark());
    }
    if (image) map.addImage(id, image, { pixelRatio: PIXEL_RATIO });
  });
}
