import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../functions/domain/validation.ts';
import { parseRoster } from '../../functions/use-cases/import-roster.ts';

const institutions = new Map([
  ['松溪县医院', 'fj-songxi-county-hospital'],
  ['fj-slyy', 'fj-slyy'],
]);
const lookup = (ref: string) => institutions.get(ref);
const rejection = (text: string) => {
  try {
    parseRoster({ name: 'r.csv', text }, lookup);
  } catch (error) {
    expect(error).toBeInstanceOf(InputRejectedError);
    return (error as InputRejectedError).issues;
  }
  throw new Error('expected the roster to be rejected');
};

describe('roster CSV', () => {
  it('reads contacts, resolving institutions by name or id, with a BOM and optional phone', () => {
    const contacts = parseRoster(
      {
        name: 'r.csv',
        text: '\uFEFFinstitution,role,name,email,phone\n松溪县医院,联络员,张三,Zhang@Example.org,0599-1234567\nfj-slyy,联络员,李四,li@example.org,\n',
      },
      lookup,
    );
    expect(contacts).toEqual([
      {
        institutionId: 'fj-songxi-county-hospital',
        role: '联络员',
        name: '张三',
        email: 'zhang@example.org',
        phone: '0599-1234567',
      },
      { institutionId: 'fj-slyy', role: '联络员', name: '李四', email: 'li@example.org' },
    ]);
  });

  it('reads the Chinese headers of a commission’s own spreadsheet, in any order', () => {
    const contacts = parseRoster(
      {
        name: 'r.csv',
        text: '姓名,单位,电子邮箱,职务,手机\n张三,松溪县医院,zhang@example.org,联络员,13800000000\n',
      },
      lookup,
    );
    expect(contacts).toEqual([
      {
        institutionId: 'fj-songxi-county-hospital',
        role: '联络员',
        name: '张三',
        email: 'zhang@example.org',
        phone: '13800000000',
      },
    ]);
  });

  it('names an unknown header with the headers it takes, and a column given twice', () => {
    expect(rejection('单位,角色,姓名,邮箱,传真\n')).toEqual([
      {
        file: 'r.csv',
        row: 1,
        field: '传真',
        message:
          'unknown column (expected institution, role, name, email, phone or 单位, 角色, 姓名, 邮箱, 电话)',
      },
    ]);
    expect(rejection('单位,角色,姓名,邮箱,email\n')).toEqual([
      { file: 'r.csv', row: 1, field: 'email', message: 'a second email column' },
    ]);
  });

  it('names the missing column', () => {
    expect(rejection('institution,role,name\n松溪县医院,联络员,张三\n')).toEqual([
      { file: 'r.csv', row: 1, field: 'email', message: 'required column is missing' },
    ]);
  });

  it('names every bad row and field: bad email, unknown institution, duplicate', () => {
    const issues = rejection(
      [
        'institution,role,name,email',
        '松溪县医院,联络员,张三,not-an-email',
        '不存在医院,联络员,王五,w@example.org',
        'fj-slyy,联络员,李四,li@example.org',
        'fj-slyy,联络员,李四,LI@example.org',
      ].join('\n'),
    );
    expect(issues).toEqual([
      { file: 'r.csv', row: 2, field: 'email', message: 'is not a valid email address' },
      { file: 'r.csv', row: 3, field: 'institution', message: 'unknown institution "不存在医院"' },
      { file: 'r.csv', row: 5, field: 'email', message: 'duplicate of row 4 (same institution and email)' },
    ]);
  });

  it('reports a row with the wrong number of cells', () => {
    const issues = rejection('institution,role,name,email\n松溪县医院,联络员,张三\n');
    expect(issues[0]).toMatchObject({ file: 'r.csv', field: '(csv)' });
  });
});
