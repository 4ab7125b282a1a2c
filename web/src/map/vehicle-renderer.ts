/**
 * Which vehicle renderer a browser gets. With a GPU: the WebGL custom layer (one instanced draw inside
 * MapLibre's frame). With software WebGL (SwiftShader, llvmpipe: no GPU, as on the test machines):
 * every MapLibre repaint rasterises the whole map on the CPU and reads it back, which costs more than
 * the vehicles themselves, so moving vehicles get their own 2D canvas and the map is left alone.
 * `?renderer=gl|canvas` overrides the choice (tests, comparisons).
 */
export type VehicleRendererKind = 'gl' | 'canvas';

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export function parseRendererParam(search: string): VehicleRendererKind | null {
  const r = new URLSearchParams(search).get('renderer');
  return r === 'gl' || r === 'canvas' ? r : null;
}

/** The WebGL renderer string, or null when the browser does not say (or has no WebGL). */
function webGlRenderer(): string | null {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return typeof name === 'string' ? name : null;
}

export function chooseVehicleRenderer(requested: VehicleRendererKind | null): VehicleRendererKind {
  if (requested) return requested;
  const name = webGlRenderer();
  return name === null || SOFTWARE_GL.test(name) ? 'canvas' : 'gl';
}
