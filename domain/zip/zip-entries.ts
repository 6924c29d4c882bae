import { constants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  content: Buffer;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EOCD = 0x06064b50;
/** The largest one Buffer can be (one entry is never bigger). */
const MAX_BUFFER = constants.MAX_LENGTH;
const ZIP64_LOCATOR = 0x07064b50;

/** The local header offset from a central entry's ZIP64 extra field (sizes are never 64-bit here). */
function zip64Offset(extra: Buffer): number {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const size = extra.readUInt16LE(i + 2);
    if (id === 0x0001 && size >= 8) return Number(extra.readBigUInt64LE(i + 4 + size - 8));
    i += 4 + size;
  }
  throw new ZipError('a ZIP64 entry has no 64-bit offset');
}

/**
 * The files of a ZIP whose names pass `wanted`, inflated with a hard cap on the bytes they may grow to (a
 * ZIP bomb stops at the cap, whatever sizes its headers claim). Stored and deflated entries only, no
 * encryption: what suppliers' mail programs and fepa's archives (ZIP64 past 65,535 entries or 4 GiB of
 * offsets) produce. Reads the central directory, as unzip does.
 */
export function zipEntries(
  zip: Buffer,
  options: { wanted: (name: string) => boolean; maxEntries: number; maxInflatedBytes: number },
): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a ZIP file (no end of central directory)');
  let count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) {
    // ZIP64 (fepa's archives of a big month): the locator just before points at the 64-bit record.
    const locator = eocd - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR)
      throw new ZipError('the ZIP64 directory locator is missing');
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== ZIP64_EOCD)
      throw new ZipError('the ZIP64 end of central directory is damaged');
    count = Number(zip.readBigUInt64LE(record + 32));
    at = Number(zip.readBigUInt64LE(record + 48));
  }
  if (count > options.maxEntries)
    throw new ZipError(`the ZIP has ${count} entries; at most ${options.maxEntries} are read`);
  const out: ZipEntry[] = [];
  let inflated = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL)
      throw new ZipError('the ZIP directory is damaged');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (localOffset === 0xffffffff)
      localOffset = zip64Offset(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || !options.wanted(name)) continue;
    if (flags & 1) throw new ZipError(`${name} is encrypted`);
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL)
      throw new ZipError(`${name}: damaged local header`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    const left = options.maxInflatedBytes - inflated;
    let content: Buffer;
    if (method === 0) content = Buffer.from(data);
    else if (method === 8) {
      try {
        content = inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(left, MAX_BUFFER)) });
      } catch (err) {
        throw new ZipError(
          (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
            ? `${name} inflates beyond ${options.maxInflatedBytes} bytes`
            : `${name} cannot be inflated: ${(err as Error).message}`,
        );
      }
    } else
      throw new ZipError(
        `${name} uses compression method ${method}; only stored and deflated entries are read`,
      );
    inflated += content.length;
    if (inflated > options.maxInflatedBytes)
      throw new ZipError(`the ZIP inflates beyond ${options.maxInflatedBytes} bytes`);
    out.push({ name, content });
  }
  return out;
}
