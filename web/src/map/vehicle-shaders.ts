/**
 * GLSL (ES 1.00, so it runs on WebGL1 and WebGL2) for the vehicle layer. One screen-aligned square per
 * vehicle (instanced); the fragment shader draws, back to front: selected ring, favourite ring, the
 * disc with its heading arrow and white outline, the line label from the label texture, the door mark.
 * Below the detail zoom only the (outlined) dot and the rings. Output is premultiplied alpha, which is
 * what MapLibre's blend function expects.
 */

export const VEHICLE_VERTEX_SHADER = `
precision highp float;
attribute vec2 a_corner;
attribute vec2 a_offset;
attribute vec4 a_color;
attribute vec2 a_heading_flags;
attribute vec4 a_label;
uniform mat4 u_matrix;
uniform vec2 u_viewport;
uniform float u_detail;
uniform float u_radius;
uniform float u_bearing;
varying vec2 v_px;
varying vec4 v_color;
varying vec2 v_heading_flags;
varying vec4 v_label;
void main() {
  // The square is only as big as what this vehicle shows: fragments are the cost on a software GPU.
  float flags = floor(a_heading_flags.y + 0.5);
  float doors = mod(flags, 2.0);
  float fav = mod(floor(flags / 2.0), 2.0);
  float selected = mod(floor(flags / 4.0), 2.0);
  float heading = mod(floor(flags / 8.0), 2.0);
  float ext = u_radius + 1.5;
  if (u_detail > 0.5) {
    ext = max(ext, max(heading * (u_radius + 7.5), doors * 15.0));
    ext = max(ext, max(fav * 17.5, selected * 21.5));
  } else {
    ext = max(ext, max(fav * (u_radius + 5.5), selected * (u_radius + 8.5)));
  }
  vec4 c = u_matrix * vec4(a_offset, 0.0, 1.0);
  vec2 px = a_corner * ext;
  c.xy += vec2(px.x, -px.y) * (2.0 / u_viewport) * c.w;
  gl_Position = c;
  v_px = px;
  v_color = a_color;
  v_heading_flags = vec2(a_heading_flags.x - u_bearing, a_heading_flags.y);
  v_label = a_label;
}
`;

export const VEHICLE_FRAGMENT_SHADER = `
precision highp float;
uniform float u_detail;
uniform float u_radius;
uniform float u_outline;
uniform float u_opacity;
uniform vec2 u_atlas_size;
uniform sampler2D u_labels;
varying vec2 v_px;
varying vec4 v_color;
varying vec2 v_heading_flags;
varying vec4 v_label;

// Coverage of a shape at signed distance d (px, negative inside), one pixel of antialiasing.
float cover(float d) { return clamp(0.5 - d, 0.0, 1.0); }
// src (straight colour, coverage a) over dst (premultiplied).
vec4 over(vec4 dst, vec3 rgb, float a) { return vec4(rgb * a, a) + dst * (1.0 - a); }

void main() {
  float flags = floor(v_heading_flags.y + 0.5);
  float doors = mod(flags, 2.0);
  float fav = mod(floor(flags / 2.0), 2.0);
  float selected = mod(floor(flags / 4.0), 2.0);
  float hasHeading = mod(floor(flags / 8.0), 2.0);
  vec2 p = v_px;
  float dist = length(p);
  float r = u_radius;
  float detail = step(0.5, u_detail);
  // Most of the square is outside the disc: leave early unless a ring, the arrow or the door mark is there.
  if (dist > r + 1.5 && fav + selected < 0.5 && (detail < 0.5 || (hasHeading < 0.5 && doors < 0.5))) discard;

  vec4 col = vec4(0.0);
  if (selected > 0.5) {
    float ringR = mix(r + 6.0, 19.0, detail);
    vec3 magenta = vec3(0.894, 0.0, 0.486);
    col = over(col, magenta, 0.15 * cover(dist - ringR));
    col = over(col, magenta, cover(abs(dist - ringR) - 1.25));
  }
  if (fav > 0.5) {
    float favR = mix(r + 3.5, 15.0, detail);
    col = over(col, vec3(1.0, 0.761, 0.055), cover(abs(dist - favR) - 1.5));
  }

  // The vehicle itself, opaque, then faded as a whole (stale / disconnected).
  float shape = dist - r;
  if (detail > 0.5 && hasHeading > 0.5) {
    float a = v_heading_flags.x;
    // q.y points along the heading (0 = north = up on screen, clockwise).
    vec2 fwd = vec2(sin(a), -cos(a));
    vec2 side = vec2(cos(a), sin(a));
    vec2 q = vec2(dot(p, side), dot(p, fwd));
    float tip = r + 6.5;
    float baseY = r * 0.69;
    float baseX = r * 0.72;
    vec2 n = normalize(vec2(tip - baseY, baseX));
    float edge = dot(vec2(abs(q.x), q.y - tip), n);
    shape = min(shape, max(edge, baseY - q.y));
  }
  vec4 veh = vec4(0.0);
  veh = over(veh, vec3(1.0), cover(shape - u_outline * 0.5));
  veh = over(veh, v_color.rgb, cover(shape + u_outline * 0.5));
  if (detail > 0.5 && v_label.z > 0.0) {
    vec2 lp = p + v_label.zw * 0.5;
    if (lp.x >= 0.0 && lp.y >= 0.0 && lp.x <= v_label.z && lp.y <= v_label.w) {
      float t = texture2D(u_labels, v_label.xy + lp / u_atlas_size).a;
      veh = over(veh, vec3(1.0), t * veh.a);
    }
  }
  if (detail > 0.5 && doors > 0.5) {
    float dd = length(p - vec2(10.0, -10.0));
    veh = over(veh, vec3(0.2), cover(dd - 4.5));
    veh = over(veh, vec3(1.0, 0.824, 0.0), cover(dd - 3.5));
  }
  float alpha = v_color.a * u_opacity;
  col = veh * alpha + col * (1.0 - veh.a * alpha);
  if (col.a < 0.004) discard;
  gl_FragColor = col;
}
`;
