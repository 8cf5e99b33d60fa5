import { describe, expect, it } from 'vitest';
import { namedBits, oid, time, tlv, unsignedInteger } from './der.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('DER encoding', () => {
  it.each([
    ['2.5.29.17', '0603551d11'],
    ['1.2.840.10045.4.3.2', '06082a8648ce3d040302'],
    ['1.3.6.1.5.5.7.3.1', '06082b06010505070301'],
  ])('OID %s', (dotted, expected) => {
    expect(hex(oid(dotted))).toBe(expected);
  });

  it.each([
    [[0x00, 0x00, 0x05], '020105'],
    [[0x80], '02020080'],
    [[0x00], '020100'],
  ])('unsigned INTEGER %j', (bytes, expected) => {
    expect(hex(unsignedInteger(Buffer.from(bytes)))).toBe(expected);
  });

  it('uses long-form lengths above 127 bytes', () => {
    expect(hex(tlv(0x04, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  it.each([
    [0x86, '03020186'],
    [0xa0, '030205a0'],
    [0x80, '03020780'],
  ])('named bits 0x%s drop trailing zero bits', (byte, expected) => {
    expect(hex(namedBits(byte))).toBe(expected);
  });

  it('encodes UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2026-11-22T01:02:03Z')).toString('latin1', 2)).toBe('261122010203Z');
    expect(time(new Date('2051-01-01T00:00:00Z')).toString('latin1', 2)).toBe('20510101000000Z');
  });
});
