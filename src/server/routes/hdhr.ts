// HDHomeRun emulation over HTTP: what Plex, Channels DVR, Jellyfin and Emby call to find and tune us.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { NotFoundError } from '../../engine/errors.js';
import { baseUrl } from '../base-url.js';
import { withToken } from '../security/access.js';
import { deviceXml } from '../web/device-xml.js';
import { admitTune, serveTs } from './tune.js';

export const HDHR_MODEL = { Manufacturer: 'Silicondust', ModelNumber: 'HDTC-2US', FirmwareName: 'hdhomeruntc_atsc', FirmwareVersion: '20200101' };

export const hdhrRoutes: FastifyPluginAsync<{ engine: Engine }> = async (app, { engine }) => {
  const cfg = engine.config;
  const identity = engine.tunerIdentity();
  const base = (req: FastifyRequest) => baseUrl(req.headers.host, cfg);
  const doc = (summary: string) => ({ schema: { tags: ['hdhomerun'], summary } });

  app.get('/discover.json', doc('HDHomeRun device description (DeviceID, TunerCount, BaseURL, LineupURL)'), async (req) => {
    const b = base(req);
    return {
      FriendlyName: engine.friendlyName(), ...HDHR_MODEL, DeviceID: identity.deviceId, DeviceAuth: identity.deviceAuth,
      BaseURL: b, LineupURL: withToken(req, `${b}/lineup.json`), TunerCount: cfg.tunerCount,
    };
  });

  app.get('/lineup.json', doc('Channel lineup with absolute /auto/v<GuideNumber> URLs'), async (req) => {
    const b = base(req);
    return engine.channels.list().filter((c) => c.enabled).map((c) => ({
      GuideNumber: c.number, GuideName: c.name, URL: withToken(req, `${b}/auto/v${c.number}`), HD: 1, Favorite: 0, VideoCodec: 'H264', AudioCodec: 'AAC',
    }));
  });

  app.get('/lineup_status.json', doc('Channel scan status (never scanning: the lineup is the channel list)'), async () => (
    { ScanInProgress: 0, ScanPossible: 1, Source: 'Cable', SourceList: ['Cable'] }));

  // Plex drops a device that answers 405 here: every method and query gets 200.
  app.route({ method: ['GET', 'POST'], url: '/lineup.post', ...doc('Accepts scan/favorite commands (no-op, always 200)'), handler: async (_req, reply) => reply.code(200).send('') });

  for (const url of ['/device.xml', '/capability']) {
    app.get(url, doc('UPnP root device description'), async (req, reply) =>
      reply.type('application/xml; charset=utf-8').send(deviceXml({ baseUrl: base(req), friendlyName: engine.friendlyName(), uuid: identity.uuid, serial: identity.deviceId })));
  }

  app.get<{ Params: { vchan: string }; Querystring: { duration?: string; transcode?: string } }>('/auto/:vchan',
    doc('Tune a channel: MPEG-TS of v<GuideNumber>; ?duration=N ends after N s; ?transcode= is accepted and ignored'),
    async (req, reply) => tune(req, reply));

  async function tune(req: FastifyRequest<{ Params: { vchan: string }; Querystring: { duration?: string } }>, reply: FastifyReply) {
    const m = /^v(.+)$/.exec(req.params.vchan);
    if (!m) throw new NotFoundError(`channel ${req.params.vchan}`);
    const ch = engine.channels.tunable(m[1]!, req.params.vchan);
    // A busy tuner or a restore of the database: a 503 a DVR retries (thrown to the one error handler).
    admitTune(engine, ch);
    const duration = Number(req.query.duration);
    serveTs(engine, ch, req, reply, Number.isFinite(duration) && duration > 0 ? duration : 0);
    return reply;
  }
};
