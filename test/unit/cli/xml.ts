import assert from 'node:assert/strict';

/**
 * A tiny well-formedness check without regular expressions or an XML library: every tag closes in order, and no
 * raw `<` or `&` appears outside markup or entities. Returns the element names in document order.
 */
export function parseXml(xml: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  while (i < xml.length) {
    const c = xml[i];
    if (c === '&') {
      const end = xml.indexOf(';', i);
      const entity = xml.slice(i + 1, end);
      assert.ok(['amp', 'lt', 'gt', 'quot', 'apos'].includes(entity), `unknown entity &${entity}; at ${i}`);
      i = end + 1;
    } else if (c === '<') {
      const end = xml.indexOf('>', i);
      assert.ok(end > i, `unclosed tag at ${i}`);
      const tag = xml.slice(i + 1, end);
      assert.ok(!tag.includes('<'), `raw < inside a tag at ${i}`);
      for (const quoted of tag.split('"').filter((_, k) => k % 2 === 1)) {
        for (let k = 0; k < quoted.length; k++) {
          if (quoted[k] === '&')
            assert.ok(
              ['amp;', 'lt;', 'gt;', 'quot;', 'apos;'].some((e) => quoted.startsWith(e, k + 1)),
              `raw & in "${quoted}"`,
            );
        }
      }
      if (tag.startsWith('/')) {
        assert.equal(open.pop(), tag.slice(1), `mismatched </${tag.slice(1)}>`);
      } else {
        const name = tag.split(' ')[0]!.replace('/', '');
        names.push(name);
        if (!tag.endsWith('/')) open.push(name);
      }
      i = end + 1;
    } else {
      i++;
    }
  }
  assert.deepEqual(open, [], 'every element is closed');
  return names;
}
