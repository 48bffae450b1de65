// UPnP root device description (/device.xml): URLBase directly under <root>, UDN = the SSDP uuid.
import { xmlText as esc } from '../../engine/guide/xml-text.js';

export function deviceXml(o: { baseUrl: string; friendlyName: string; uuid: string; serial: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <URLBase>${esc(o.baseUrl)}</URLBase>
  <device>
    <deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>
    <friendlyName>${esc(o.friendlyName)}</friendlyName>
    <manufacturer>Silicondust</manufacturer>
    <manufacturerURL>https://github.com/exstreamtv</manufacturerURL>
    <modelName>HDTC-2US</modelName>
    <modelNumber>HDTC-2US</modelNumber>
    <serialNumber>${esc(o.serial)}</serialNumber>
    <UDN>uuid:${esc(o.uuid)}</UDN>
  </device>
</root>
`;
}
