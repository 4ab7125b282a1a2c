/**
 * The vehicles as one MapLibre custom layer: a single instanced draw call per frame from typed arrays
 * (VehicleInstances) that the animation loop refills in place. Per frame the CPU uploads 8 bytes per
 * vehicle (its position); the style attributes and the label texture are uploaded only when they change.
 * No GeoJSON, no worker re-tiling, no symbol placement: that is what made the previous setData-per-frame
 * renderer slower than one DOM marker per vehicle.
 */
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from 'maplibre-gl';
import { WebError } from '../live/errors.ts';
import type { LabelAtlas } from './label-atlas.ts';
import { STYLE_FLOATS, type VehicleInstances } from './vehicle-instances.ts';
import { VEHICLE_FRAGMENT_SHADER, VEHICLE_VERTEX_SHADER } from './vehicle-shaders.ts';
import { vehicleSizes } from './vehicle-sizes.ts';

export const VEHICLE_LAYER_ID = 'vehicles-gl';

type GL = WebGLRenderingContext | WebGL2RenderingContext;

/** Instancing and vertex arrays: core in WebGL2, extensions in WebGL1. */
interface Instancing {
  createVertexArray(): unknown;
  bindVertexArray(vao: unknown): void;
  deleteVertexArray(vao: unknown): void;
  divisor(index: number, d: number): void;
  draw(mode: number, first: number, count: number, instances: number): void;
}

function instancing(gl: GL): Instancing {
  if (typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext) {
    return {
      createVertexArray: () => gl.createVertexArray(),
      bindVertexArray: (v) => gl.bindVertexArray(v as WebGLVertexArrayObject | null),
      deleteVertexArray: (v) => gl.deleteVertexArray(v as WebGLVertexArrayObject),
      divisor: (i, d) => gl.vertexAttribDivisor(i, d),
      draw: (m, f, c, n) => gl.drawArraysInstanced(m, f, c, n),
    };
  }
  const inst = gl.getExtension('ANGLE_instanced_arrays');
  const vao = gl.getExtension('OES_vertex_array_object');
  if (!inst || !vao) throw new WebError('WEB_GL_UNSUPPORTED', 'WebGL instancing is not available');
  return {
    createVertexArray: () => vao.createVertexArrayOES(),
    bindVertexArray: (v) => vao.bindVertexArrayOES(v as WebGLVertexArrayObjectOES | null),
    deleteVertexArray: (v) => vao.deleteVertexArrayOES(v as WebGLVertexArrayObjectOES),
    divisor: (i, d) => inst.vertexAttribDivisorANGLE(i, d),
    draw: (m, f, c, n) => inst.drawArraysInstancedANGLE(m, f, c, n),
  };
}

function compile(gl: GL, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new WebError('WEB_GL_UNSUPPORTED', 'cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new WebError('WEB_GL_UNSUPPORTED', `vehicle shader: ${gl.getShaderInfoLog(shader)}`);
  }
  return shader;
}

const UNIFORMS = [
  'u_matrix',
  'u_viewport',
  'u_bearing',
  'u_detail',
  'u_radius',
  'u_outline',
  'u_opacity',
  'u_atlas_size',
  'u_labels',
] as const;
type UniformName = (typeof UNIFORMS)[number];

export interface VehicleLayerStats {
  /** Frames drawn by the layer and the CPU time spent in its render() (uploads + one draw call). */
  draws: number;
  drawMs: number;
}

export class VehicleGlLayer implements CustomLayerInterface {
  readonly id = VEHICLE_LAYER_ID;
  readonly type = 'custom' as const;
  readonly renderingMode = '2d' as const;
  readonly stats: VehicleLayerStats = { draws: 0, drawMs: 0 };
  private map: MapLibreMap | null = null;
  private gl: GL | null = null;
  private api: Instancing | null = null;
  private program: WebGLProgram | null = null;
  private vao: unknown = null;
  private corners: WebGLBuffer | null = null;
  private offsets: WebGLBuffer | null = null;
  private style: WebGLBuffer | null = null;
  private texture: WebGLTexture | null = null;
  private uniforms = new Map<UniformName, WebGLUniformLocation | null>();
  private capacity = 0;
  private uploadedStyle = -1;
  private uploadedAtlas = -1;
  private readonly matrix = new Float32Array(16);

  constructor(
    private readonly instances: VehicleInstances,
    private readonly atlas: LabelAtlas,
  ) {}

  onAdd(map: MapLibreMap, gl: GL): void {
    this.map = map;
    this.gl = gl;
    const api = instancing(gl);
    this.api = api;
    const program = gl.createProgram();
    if (!program) throw new WebError('WEB_GL_UNSUPPORTED', 'cannot create a program');
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VEHICLE_VERTEX_SHADER));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, VEHICLE_FRAGMENT_SHADER));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new WebError('WEB_GL_UNSUPPORTED', `vehicle program: ${gl.getProgramInfoLog(program)}`);
    }
    this.program = program;
    for (const u of UNIFORMS) this.uniforms.set(u, gl.getUniformLocation(program, u));
    this.corners = gl.createBuffer();
    this.offsets = gl.createBuffer();
    this.style = gl.createBuffer();
    this.texture = gl.createTexture();
    this.uploadedStyle = -1;
    this.uploadedAtlas = -1;
    this.capacity = 0;

    // Our own vertex array: MapLibre's bound one must never see our attribute pointers.
    this.vao = api.createVertexArray();
    api.bindVertexArray(this.vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.corners);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    this.attribute('a_corner', 2, 0, 0, 0);
    this.allocate(1024);
    api.bindVertexArray(null);
  }

  onRemove(_map: MapLibreMap, gl: GL): void {
    if (this.vao) this.api?.deleteVertexArray(this.vao);
    for (const b of [this.corners, this.offsets, this.style]) if (b) gl.deleteBuffer(b);
    if (this.texture) gl.deleteTexture(this.texture);
    if (this.program) gl.deleteProgram(this.program);
    this.vao = null;
    this.program = null;
    this.map = null;
    this.gl = null;
  }

  render(gl: GL, args: CustomRenderMethodInput): void {
    const map = this.map;
    const api = this.api;
    const program = this.program;
    const n = this.instances.count;
    if (!map || !api || !program) return;
    if (n === 0) {
      this.instances.markPainted();
      return;
    }
    const t0 = performance.now();
    api.bindVertexArray(this.vao);
    if (n > this.capacity) this.allocate(n);
    const inst = this.instances;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.offsets);
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, inst.offsets.subarray(0, n * 2));
    if (this.uploadedStyle !== inst.styleVersion) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.style);
      gl.bufferSubData(gl.ARRAY_BUFFER, 0, inst.style.subarray(0, n * STYLE_FLOATS));
      this.uploadedStyle = inst.styleVersion;
    }
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    if (this.uploadedAtlas !== this.atlas.version) {
      gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
      gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, this.atlas.canvas);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      this.uploadedAtlas = this.atlas.version;
    }

    // Main matrix (mercator 0..1 -> clip, float64) moved to the origin the offsets are relative to.
    const m = args.defaultProjectionData.mainMatrix as unknown as ArrayLike<number>;
    const ox = inst.originX;
    const oy = inst.originY;
    for (let i = 0; i < 12; i++) this.matrix[i] = m[i] ?? 0;
    for (let r = 0; r < 4; r++) {
      this.matrix[12 + r] = (m[r] ?? 0) * ox + (m[4 + r] ?? 0) * oy + (m[12 + r] ?? 0);
    }
    const sizes = vehicleSizes(map.getZoom());
    const canvas = map.getCanvas();
    const ratio = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL's useProgram, not a React hook
    gl.useProgram(program);
    gl.uniformMatrix4fv(this.uniform('u_matrix'), false, this.matrix);
    gl.uniform2f(this.uniform('u_viewport'), gl.drawingBufferWidth / ratio, gl.drawingBufferHeight / ratio);
    gl.uniform1f(this.uniform('u_bearing'), (map.getBearing() * Math.PI) / 180);
    gl.uniform1f(this.uniform('u_detail'), sizes.detail);
    gl.uniform1f(this.uniform('u_radius'), sizes.radius);
    gl.uniform1f(this.uniform('u_outline'), sizes.outline);
    gl.uniform1f(this.uniform('u_opacity'), sizes.opacity);
    gl.uniform2f(this.uniform('u_atlas_size'), this.atlas.widthCss, this.atlas.heightCss);
    gl.uniform1i(this.uniform('u_labels'), 0);
    gl.disable(gl.DEPTH_TEST);
    gl.disable(gl.STENCIL_TEST);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    api.draw(gl.TRIANGLE_STRIP, 0, 4, n);
    inst.markPainted();
    api.bindVertexArray(null);
    this.stats.draws++;
    this.stats.drawMs += performance.now() - t0;
  }

  private uniform(name: UniformName): WebGLUniformLocation | null {
    return this.uniforms.get(name) ?? null;
  }

  /** (Re)creates the per-instance buffers for `n` vehicles; the vertex array must be bound. */
  private allocate(n: number): void {
    const gl = this.gl;
    if (!gl) return;
    const cap = Math.max(1024, 2 ** Math.ceil(Math.log2(n)));
    gl.bindBuffer(gl.ARRAY_BUFFER, this.offsets);
    gl.bufferData(gl.ARRAY_BUFFER, cap * 2 * 4, gl.DYNAMIC_DRAW);
    this.attribute('a_offset', 2, 0, 0, 1);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.style);
    gl.bufferData(gl.ARRAY_BUFFER, cap * STYLE_FLOATS * 4, gl.DYNAMIC_DRAW);
    const stride = STYLE_FLOATS * 4;
    this.attribute('a_color', 4, stride, 0, 1);
    this.attribute('a_heading_flags', 2, stride, 16, 1);
    this.attribute('a_label', 4, stride, 24, 1);
    this.capacity = cap;
    this.uploadedStyle = -1;
  }

  private attribute(name: string, size: number, stride: number, offset: number, divisor: number): void {
    const gl = this.gl;
    const program = this.program;
    if (!gl || !program) return;
    const loc = gl.getAttribLocation(program, name);
    if (loc < 0) return;
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, size, gl.FLOAT, false, stride, offset);
    this.api?.divisor(loc, divisor);
  }
}
