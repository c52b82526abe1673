import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeysFileError, readKeysFile } from '../../src/keys/keys-file.js';

const GOOD_A = 'fk-good-aaaaaaaaaaaa';
const GOOD_B = 'fk-good-bbbbbbbbbbbb';

function fileWith(bytes: Buffer | string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'd2a-kf-')), 'factory_keys.txt');
  writeFileSync(file, bytes);
  return file;
}

const utf16 = (text: string) => Buffer.from(text, 'utf16le');

describe('the keys file', () => {
  it('skips lines that are not a key and names their line numbers', () => {
    const junk = Buffer.from([0x00, 0xff, 0x13, 0x80, 0x7f, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]);
    const file = fileWith(Buffer.concat([Buffer.from(`# keys\n${GOOD_A}\n`), junk, Buffer.from(`\nshort\nwith space inside-1234\n\n${GOOD_B}\r\nkey;with;semicolons\n`)]));
    expect(readKeysFile(file)).toEqual({ keys: [GOOD_A, GOOD_B], invalidLines: [3, 4, 5, 8] });
  });

  it('drops a UTF-8 byte-order mark', () => {
    expect(readKeysFile(fileWith(`\ufeff${GOOD_A}\n${GOOD_B}\n`)).keys).toEqual([GOOD_A, GOOD_B]);
  });

  it('decodes UTF-16 with its byte-order mark, little- and big-endian', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(`${GOOD_A}\r\n${GOOD_B}\r\n`)]);
    const be = Buffer.from(le).swap16();
    expect(readKeysFile(fileWith(le))).toEqual({ keys: [GOOD_A, GOOD_B], invalidLines: [] });
    expect(readKeysFile(fileWith(be))).toEqual({ keys: [GOOD_A, GOOD_B], invalidLines: [] });
  });

  it('refuses UTF-16 without a byte-order mark in one line', () => {
    const file = fileWith(utf16(`${GOOD_A}\n`));
    expect(() => readKeysFile(file)).toThrow(KeysFileError);
    expect(() => readKeysFile(file)).toThrow(/UTF-16.*save it as UTF-8/);
  });

  it('refuses a directory in one line naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-kf-'));
    mkdirSync(join(dir, 'factory_keys.txt'));
    const read = () => readKeysFile(join(dir, 'factory_keys.txt'));
    expect(read).toThrow(KeysFileError);
    expect(read).toThrow(/factory_keys\.txt is a directory/);
  });

  it('refuses a file that cannot be read in one line, and treats a missing one as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-kf-'));
    const loop = join(dir, 'loop.txt');
    symlinkSync(loop, loop);
    expect(() => readKeysFile(loop)).toThrow(KeysFileError);
    expect(() => readKeysFile(loop)).toThrow(/^keys file .*loop\.txt could not be read \(ELOOP\)/);
    expect(readKeysFile(join(dir, 'absent.txt'))).toEqual({ keys: [], invalidLines: [] });
  });
});
