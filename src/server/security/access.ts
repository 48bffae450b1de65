// Access control for every request (one onRequest hook on the root instance, before any route):
//  - admin API: Host must be one of the box's names (DNS rebinding), a token (Authorization:
//    Bearer) unless from loopback while trustLoopback is on, and a state-changing request without
//    the token must not be cross-site (Origin/Sec-Fetch-Site) and must carry X-EXStreamTV or a JSON
//    body (both force a browser preflight, which this box never grants);
//  - tuner face (/auto, /stream, /iptv, /lineup.json, /watch): open, or ?token= when tunerToken is on;
//    the URLs the box hands out then carry the stream token (tokenQuery()).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_HEADER } from '../../schemas/auth.js';
import { errorBody } from '../errors.js';
import { isLoopback, routeClass, STATE_CHANGING } from './classify.js';
import { hostChecker } from './host-check.js';
import type { Tokens } from './token.js';


export interface AccessOptions {
  tokens: Tokens;
  trustLoopback: boolean;
  tunerToken: boolean;
  allowedHosts: readonly string[];
  lanAddress?: string | undefined;
}

/** Per request: the query string ("token=…") that URLs handed out must carry, or "". */
const handOut = new WeakMap<FastifyRequest, string>();

/** "token=<stream token>" when tuner URLs need it and this request may have it, else "". */
export function tokenQuery(req: FastifyRequest): string {
  return handOut.get(req) ?? '';
}

/** `url` with the request's token query appended (unchanged when none is needed). */
export function withToken(req: FastifyRequest, url: string): string {
  const q = tokenQuery(req);
  return q ? `${url}${url.includes('?') ? '&' : '?'}${q}` : url;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

const deny = (reply: FastifyReply, status: number, message: string) => reply.code(status).send(errorBody(status, message));

function unauthorized(reply: FastifyReply, message: string) {
  return deny(reply.header('WWW-Authenticate', 'Bearer realm="exstreamtv"'), 401, message);
}

/** Why a state-changing request without the token is refused as possibly cross-site, or null. */
function crossSiteReason(req: FastifyRequest): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let same = false;
    try { same = origin !== 'null' && new URL(origin).host === (req.headers.host ?? '').trim().toLowerCase(); } catch { same = false; }
    if (!same) return `cross-site request refused (Origin ${origin.slice(0, 100)})`;
    // A page this box served itself (its Host passed the check): the browser vouches for the origin.
    return null;
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'cross-site request refused (Sec-Fetch-Site)';
  const custom = req.headers[CLIENT_HEADER];
  const json = /^application\/json\b/i.test(String(req.headers['content-type'] ?? ''));
  if (!(typeof custom === 'string' && custom !== '') && !json) {
    return `requests that change something must carry the header "X-EXStreamTV: 1" or the admin token (Authorization: Bearer …); the exstreamtv CLI and TUI send it`;
  }
  return null;
}

/** The token a request shows: ?token= (what DVR URLs can carry), else its Bearer credential. */
function presented(req: FastifyRequest): string | undefined {
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' ? q : bearer(req);
}

export function installAccessControl(app: FastifyInstance, o: AccessOptions): void {
  const hostOk = hostChecker({ allowedHosts: o.allowedHosts, lanAddress: o.lanAddress });

  /** The admin API's refusal for this request, or null: Host, then token, then the cross-site rule. */
  const adminRefusal = (req: FastifyRequest, trusted: boolean): [number, string] | null => {
    if (!hostOk(req.headers.host)) {
      return [403, `Host "${String(req.headers.host).slice(0, 100)}" is not a name of this box: use its IP address, or add the name to allowedHosts (EXSTREAMTV_ALLOWED_HOSTS)`];
    }
    const given = bearer(req);
    const authed = given !== undefined && o.tokens.isAdmin(given);
    if (given !== undefined && !authed) return [401, 'the admin token is wrong (see `exstreamtv token show` on the box)'];
    if (!authed && !trusted) return [401, 'this API needs the admin token: send "Authorization: Bearer <token>" (`exstreamtv token show` on the box prints it; the CLI takes --token or EXSTREAMTV_TOKEN)'];
    const why = !authed && STATE_CHANGING.has(req.method) ? crossSiteReason(req) : null;
    return why ? [403, why] : null;
  };

  app.addHook('onRequest', async (req, reply) => {
    const cls = routeClass(req.routeOptions.url ?? req.url.split('?')[0]!);
    const trusted = o.trustLoopback && isLoopback(req.socket.remoteAddress);
    const mayTune = trusted || o.tokens.isStream(presented(req));
    if (cls === 'admin') {
      const refusal = adminRefusal(req, trusted);
      if (refusal) return refusal[0] === 401 ? unauthorized(reply, refusal[1]) : deny(reply, refusal[0], refusal[1]);
    } else if (cls === 'tuner' && o.tunerToken && !mayTune) {
      return unauthorized(reply, 'this box requires ?token=<stream token> on tuner, guide and stream URLs (`exstreamtv token show --stream`)');
    }
    // Hand the stream token out only to whoever may tune: loopback, or who showed a token.
    if (o.tunerToken && (mayTune || o.tokens.isAdmin(bearer(req)))) handOut.set(req, `token=${o.tokens.streamToken}`);
  });

  // HLS playlists list their segments by relative name: carry the token on to them.
  app.addHook('onSend', async (req, reply, payload) => {
    const q = tokenQuery(req);
    if (!q || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/vnd.apple.mpegurl')) return payload;
    return payload.split('\n').map((l) => (l && !l.startsWith('#') ? `${l}${l.includes('?') ? '&' : '?'}${q}` : l)).join('\n');
  });
}
