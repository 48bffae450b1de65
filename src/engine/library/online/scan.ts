// Dispatches scans of online sources (Archive.org, YouTube) for the scan manager.
import type { ScanSummary } from '../scanner.js';
import { scanArchiveSource } from '../archive/scan.js';
import { scanYoutubeSource } from '../youtube/videos.js';
import type { OnlineSyncDeps } from './sync.js';

export interface OnlineScanSettings { archiveUrl?: string; ytDlpPath?: string | undefined }

export const isOnlineKind = (kind: string): kind is 'archive' | 'youtube' => kind === 'archive' || kind === 'youtube';

export function scanOnlineSource(deps: OnlineSyncDeps & OnlineScanSettings & { dataDir: string }, kind: 'archive' | 'youtube', sourceId: number): Promise<ScanSummary> {
  if (kind === 'youtube') return scanYoutubeSource({ ...deps, ytDlpPath: deps.ytDlpPath }, sourceId);
  return scanArchiveSource({ ...deps, baseUrl: deps.archiveUrl ?? 'https://archive.org' }, sourceId);
}
