// /device.xml goes through the same XML text rules as the guide: escaped, XML-invalid characters dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { deviceXml } from '../../src/server/web/device-xml.js';

test('a hostile friendly name stays text in a well-formed document', () => {
  const xml = deviceXml({ baseUrl: 'http://192.168.1.20:8410/?a=1&b=2', friendlyName: `Den's <TV> & "more" \u0001\u0085`, uuid: 'u-1', serial: 'S1' });
  assert.equal(XMLValidator.validate(xml), true);
  const device = new XMLParser({ processEntities: true }).parse(xml).root;
  assert.equal(device.URLBase, 'http://192.168.1.20:8410/?a=1&b=2');
  assert.equal(device.device.friendlyName, `Den's <TV> & "more"`); // the parser trims
  assert.match(xml, /<friendlyName>Den&apos;s &lt;TV&gt; &amp; &quot;more&quot; <\/friendlyName>/);
});
