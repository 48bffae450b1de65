// Why an ffmpeg run failed, in ffmpeg's own words: the device/driver line, not the generic last line.

/** The line of ffmpeg's stderr that says why: the known device/driver messages first, else the first error line. */
export function probeReason(stderr: string): string | null {
  const lines = stderr.split('\n').map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim()).filter(Boolean);
  const known = [
    /Cannot load libcuda\.so\.1/i, /No NVENC capable devices found/i, /OpenEncodeSessionEx failed.*/i, /CUDA_ERROR_\w+.*/i,
    /No VA display found.*/i, /Failed to initialise VAAPI connection.*/i, /vaInitialize failed.*/i,
    /Error creating a MFX session.*/i, /Device creation failed.*/i,
    /Could not find a valid device/i, /Unknown encoder '[^']+'/i, /Encoder \S+ not found/i,
    /No device available for encoder.*/i, /DLL amfrt64\.dll failed to open/i, /cannot open.*amf.*/i,
    /Error while opening encoder.*/i, /Impossible to convert between the formats.*/i, /Function not implemented/i,
  ];
  for (const re of known) for (const l of lines) { const m = re.exec(l); if (m) return l; }
  return lines.find((l) => !/^(Error parsing global options|Failed to set value)/.test(l)) ?? lines[0] ?? null;
}

