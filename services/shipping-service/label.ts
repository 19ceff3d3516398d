// The shipping label as thermal printers take it: ZPL II, 4x6 inches at 203 dpi. This is the one place the
// full address leaves the service, because it has to be printed on the parcel.
import { type Shipment } from './store.ts';

// ZPL uses ^ and ~ as command prefixes; keep them out of field data.
const field = (text: string): string => text.replaceAll(/[\^~]/g, ' ');

export function renderLabel(s: Shipment): string {
  const { address } = s;
  const lines = [
    address.line1,
    address.line2,
    `${address.postalCode} ${address.city}`,
    address.country,
  ].filter((l): l is string => l !== undefined);
  return [
    '^XA',
    '^CI28',
    `^FO40,40^A0N,36,36^FD${field(s.carrier.toUpperCase())}^FS`,
    `^FO40,100^A0N,28,28^FDSHIP TO:^FS`,
    ...lines.map((line, i) => `^FO40,${140 + i * 36}^A0N,32,32^FD${field(line)}^FS`),
    `^FO40,360^A0N,24,24^FDORDER ${field(s.orderId)}^FS`,
    `^FO40,420^BY3^BCN,160,Y,N,N^FD${field(s.trackingNumber)}^FS`,
    `^FO40,660^A0N,24,24^FD${s.items.map((i) => `${i.quantity}x ${field(i.sku)}`).join(', ')}^FS`,
    '^XZ',
    '',
  ].join('\n');
}
