// QR codes of links, as SVG data URLs: the invite page's and the present screen's, made the same
// way. No SvelteKit imports, so the realtime side (server/session/present-view.ts) uses it too.
import QRCode from 'qrcode';

export async function qrDataUrl(link: string): Promise<string> {
  const svg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
