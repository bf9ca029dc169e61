import { describe, expect, it } from 'vitest';
import { decodeExportedText } from '../../functions/adapters/text-file.ts';

// “单位,角色,姓名,邮箱” and “松溪县医院” as Excel on a Chinese-language Windows saves them (GBK bytes).
const GBK_HEADER = Buffer.from('B5A5CEBB2CBDC7C9AB2CD0D5C3FB2CD3CACFE4', 'hex');
const GBK_SONGXI = Buffer.from('CBC9CFAACFD8D2BDD4BA', 'hex');

describe('decodeExportedText', () => {
  it('reads UTF-8, with or without a BOM, as UTF-8', () => {
    expect(decodeExportedText(Buffer.from('单位,角色\n松溪县医院', 'utf8'))).toEqual({
      text: '单位,角色\n松溪县医院',
      encoding: 'utf-8',
    });
    expect(decodeExportedText(Buffer.from('\uFEFF单位', 'utf8')).encoding).toBe('utf-8');
  });

  it('reads what is not UTF-8 as GB18030, the code page of Chinese Windows', () => {
    expect(decodeExportedText(Buffer.concat([GBK_HEADER, Buffer.from('\n'), GBK_SONGXI]))).toEqual({
      text: '单位,角色,姓名,邮箱\n松溪县医院',
      encoding: 'gb18030',
    });
  });
});
