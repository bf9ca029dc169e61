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

  it('names every field longer than it may be, counting characters, not bytes or UTF-16 units', () => {
    const issues = rejection(
      [
        'institution,role,name,email',
        `${'院'.repeat(101)},联络员,张三,a@example.org`,
        `松溪县医院,${'联'.repeat(41)},张三,b@example.org`,
        `松溪县医院,联络员,${'张'.repeat(51)},c@example.org`,
        `松溪县医院,联络员,张三,${'a'.repeat(243)}@example.org`,
      ].join('\n'),
    );
    expect(issues).toEqual([
      { file: 'r.csv', row: 2, field: 'institution', message: 'is too long: 101 characters (at most 100)' },
      { file: 'r.csv', row: 3, field: 'role', message: 'is too long: 41 characters (at most 40)' },
      { file: 'r.csv', row: 4, field: 'name', message: 'is too long: 51 characters (at most 50)' },
      { file: 'r.csv', row: 5, field: 'email', message: 'is too long: 255 characters (at most 254)' },
    ]);
  });

  it('takes a field at its longest, a rare character outside the BMP counting as one', () => {
    // 𠮷 (U+20BB7) is one character in a name but two UTF-16 code units.
    const contacts = parseRoster(
      {
        name: 'r.csv',
        text: `institution,role,name,email\n松溪县医院,${'联'.repeat(40)},${'𠮷'.repeat(50)},${'a'.repeat(242)}@example.org\n`,
      },
      lookup,
    );
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.name).toBe('𠮷'.repeat(50));
  });

  it('names a 410,000-character name by row and field without echoing it', () => {
    const rows = Array.from({ length: 100 }, (_, i) =>
      i === 60
        ? `fj-slyy,联络员,${'x'.repeat(410_000)},c${i}@example.org`
        : `fj-slyy,联络员,张三,c${i}@example.org`,
    );
    const issues = rejection(['institution,role,name,email', ...rows].join('\n'));
    expect(issues).toEqual([
      { file: 'r.csv', row: 62, field: 'name', message: 'is too long: 410000 characters (at most 50)' },
    ]);
  });

  it('refuses names and roles that show nothing: invisible format or control characters only', () => {
    const issues = rejection(
      [
        'institution,role,name,email',
        '松溪县医院,联络员,\u200B,a@example.org',
        '松溪县医院,联络员,\u00AD\u2060\u200C,b@example.org',
        '松溪县医院,\u200D\uFEFF,张三,c@example.org',
        '松溪县医院,联络员,"\u200B \u0007\u3000",d@example.org',
        '松溪县医院,\u0001,张三,e@example.org',
      ].join('\n'),
    );
    expect(issues).toEqual([
      { file: 'r.csv', row: 2, field: 'name', message: 'has no visible characters' },
      { file: 'r.csv', row: 3, field: 'name', message: 'has no visible characters' },
      { file: 'r.csv', row: 4, field: 'role', message: 'has no visible characters' },
      { file: 'r.csv', row: 5, field: 'name', message: 'has no visible characters' },
      { file: 'r.csv', row: 6, field: 'role', message: 'has no visible characters' },
    ]);
  });

  it('keeps a name that has visible characters next to invisible ones, and calls a blank one empty', () => {
    expect(
      parseRoster(
        { name: 'r.csv', text: 'institution,role,name,email\n松溪县医院,联络员,张\u200B三,a@example.org\n' },
        lookup,
      )[0]?.name,
    ).toBe('张\u200B三');
    expect(rejection('institution,role,name,email\n松溪县医院,联络员,"  ",a@example.org\n')).toEqual([
      { file: 'r.csv', row: 2, field: 'name', message: 'is empty' },
    ]);
  });

  it('reports a row with the wrong number of cells', () => {
    const issues = rejection('institution,role,name,email\n松溪县医院,联络员,张三\n');
    expect(issues[0]).toMatchObject({ file: 'r.csv', field: '(csv)' });
  });
});
