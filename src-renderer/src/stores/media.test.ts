import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClipPlayback } from '#contract/media';
import { setBridge } from '../services/bridge';
import { fakeStudio, type FakeStudioOptions } from '../../../testing/renderer/fake-studio';
import { useMediaStore } from './media';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

async function setup(options: FakeStudioOptions = {}) {
  setActivePinia(createPinia());
  const fake = fakeStudio(options);
  setBridge(fake.api);
  await useSessionStore().init();
  const wb = useWorkbenchStore();
  const media = useMediaStore();
  return { fake, wb, media };
}

// In the fake, clips 0, 5, 10, ... have a video.
describe('the media store', () => {
  beforeEach(() => setBridge(null));

  it('loads the waveform and filmstrip of a clip with video, and only asks once per clip', async () => {
    const { fake, wb, media } = await setup();
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    expect(media.status?.available).toBe(true);
    expect(media.waveform?.buckets).toBe(400);
    expect(media.filmstrip?.count).toBe(4);
    await wb.openClip({ split: 'test', index: 1 });
    await flush();
    expect(media.waveform).toBeNull();
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    expect(media.waveform?.buckets).toBe(400);
    expect(fake.calls.filter((c) => c.method === 'getWaveform')).toHaveLength(1);
  });

  it('asks nothing of a clip without video', async () => {
    const { fake, wb, media } = await setup();
    await wb.openClip({ split: 'test', index: 2 });
    await flush();
    expect(fake.calls.some((c) => c.method === 'getWaveform' || c.method === 'clipMedia')).toBe(false);
    expect(media.playableUrl(null)).toBeNull();
  });

  it('without ffmpeg says so and asks for no waveform, while the clip still opens', async () => {
    const { fake, wb, media } = await setup({ media: { noFfmpeg: true } });
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    expect(wb.clip?.index).toBe(5);
    expect(media.status).toMatchObject({ available: false, error: { code: 'MEDIA_TOOL_MISSING' } });
    expect(fake.calls.some((c) => c.method === 'getWaveform' || c.method === 'getFilmstrip')).toBe(false);
    expect(media.playableUrl('/media/test/5?token=T')).toBe('/media/test/5?token=T');
  });

  it('follows a conversion: no URL while converting, progress from events, then the converted URL', async () => {
    const playback = new Map<number, ClipPlayback>([[10, 'converting']]);
    const { fake, wb, media } = await setup({ media: { playback } });
    await wb.openClip({ split: 'test', index: 10 });
    await flush();
    expect(media.playback?.playback).toBe('converting');
    expect(media.playableUrl('/media/test/10?token=T')).toBeNull();
    fake.emit({ type: 'media-progress', clip: { split: 'test', index: 10 }, playback: 'converting', fraction: 0.42 });
    fake.emit({ type: 'media-progress', clip: { split: 'test', index: 11 }, playback: 'converting', fraction: 0.9 });
    expect(media.playback?.fraction).toBe(0.42);
    playback.set(10, 'converted');
    fake.emit({ type: 'media-progress', clip: { split: 'test', index: 10 }, playback: 'converted', fraction: 1 });
    await flush();
    expect(media.playback?.playback).toBe('converted');
    expect(media.playableUrl(null)).toBe('/media/test/10?token=T&v=h264');
  });
});
