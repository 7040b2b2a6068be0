using System.Buffers.Text;
using System.Text;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Encodes the header blocks of one entry the way Go's archive/tar does in PAX mode (what BuildKit and
/// containerd produce): a plain ustar header when every field fits, preceded by a PAX 'x' header only
/// for the fields that do not, named "&lt;dir&gt;/PaxHeaders.0/&lt;base&gt;". System.Formats.Tar's writer
/// cannot be used for this: it always emits a PAX header and names it after the process id, so two
/// runs would never produce the same bytes.
/// </summary>
internal static class TarHeaderEncoder
{
    public const int BlockSize = 512;

    private const long MaxOctal7 = 0x1F_FFFF; // 7777777
    private const long MaxOctal11 = 0x1_FFFF_FFFF; // 77777777777

    /// <summary>The header block(s) for <paramref name="entry"/>, whose path is already normalized.</summary>
    public static byte[] Encode(LayerEntry entry, string name, long mtimeSeconds)
    {
        var pax = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var header = new byte[BlockSize];

        if (!TryPutName(header, name))
        {
            pax["path"] = Encoding.UTF8.GetBytes(name);
            PutString(header.AsSpan(0, 100), name);
        }

        var link = entry.LinkTarget ?? "";
        if (!IsPlainAscii(link, 100))
        {
            pax["linkpath"] = Encoding.UTF8.GetBytes(link);
        }

        PutString(header.AsSpan(157, 100), link);
        PutOctal(header.AsSpan(100, 8), entry.Mode & 0xFFF);
        PutNumber(header.AsSpan(108, 8), entry.Uid, MaxOctal7, "uid", pax);
        PutNumber(header.AsSpan(116, 8), entry.Gid, MaxOctal7, "gid", pax);
        var size = entry.Type == LayerEntryType.RegularFile ? entry.Size : 0;
        PutNumber(header.AsSpan(124, 12), size, MaxOctal11, "size", pax);
        PutNumber(header.AsSpan(136, 12), mtimeSeconds, MaxOctal11, "mtime", pax);
        header[156] = TypeFlag(entry.Type);
        "ustar\000"u8.CopyTo(header.AsSpan(257));
        PutName(header.AsSpan(265, 32), entry.UserName, "uname", pax);
        PutName(header.AsSpan(297, 32), entry.GroupName, "gname", pax);
        PutNumber(header.AsSpan(329, 8), entry.DeviceMajor, MaxOctal7, "devmajor", pax);
        PutNumber(header.AsSpan(337, 8), entry.DeviceMinor, MaxOctal7, "devminor", pax);

        if (entry.ExtendedAttributes is { } xattrs)
        {
            foreach (var (key, value) in xattrs)
            {
                pax["SCHILY.xattr." + key] = value;
            }
        }

        SetChecksum(header);
        if (pax.Count == 0)
        {
            return header;
        }

        var records = PaxRecords(pax);
        var paxHeader = new byte[BlockSize];
        PutString(paxHeader.AsSpan(0, 100), PaxHeaderName(name));
        PutOctal(paxHeader.AsSpan(100, 8), 0);
        PutOctal(paxHeader.AsSpan(108, 8), 0);
        PutOctal(paxHeader.AsSpan(116, 8), 0);
        PutOctal(paxHeader.AsSpan(124, 12), records.Length);
        PutOctal(paxHeader.AsSpan(136, 12), 0);
        paxHeader[156] = (byte)'x';
        "ustar\000"u8.CopyTo(paxHeader.AsSpan(257));

        // Go leaves the device fields of an 'x' header NUL (it formats only the v7 fields).
        SetChecksum(paxHeader);

        var result = new byte[BlockSize + records.Length + Padding(records.Length) + BlockSize];
        paxHeader.CopyTo(result, 0);
        records.CopyTo(result, BlockSize);
        header.CopyTo(result, result.Length - BlockSize);
        return result;
    }

    /// <summary>Zero bytes that follow <paramref name="length"/> bytes of data to fill the last block.</summary>
    public static int Padding(long length) => (int)((BlockSize - (length % BlockSize)) % BlockSize);

    private static byte TypeFlag(LayerEntryType type) => type switch
    {
        LayerEntryType.RegularFile => (byte)'0',
        LayerEntryType.HardLink => (byte)'1',
        LayerEntryType.SymbolicLink => (byte)'2',
        LayerEntryType.CharacterDevice => (byte)'3',
        LayerEntryType.BlockDevice => (byte)'4',
        LayerEntryType.Directory => (byte)'5',
        LayerEntryType.Fifo => (byte)'6',
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown layer entry type."),
    };

    /// <summary>Fits the name in the ustar name field, or split across prefix and name at a '/'.</summary>
    private static bool TryPutName(byte[] header, string name)
    {
        if (IsPlainAscii(name, 100))
        {
            PutString(header.AsSpan(0, 100), name);
            return true;
        }

        if (!IsPlainAscii(name, 100 + 1 + 155))
        {
            return false;
        }

        // The prefix must be as long as possible but at most 155, and the rest at most 100.
        for (var slash = Math.Min(name.Length - 1, 155); slash > 0; slash--)
        {
            if (name[slash] == '/' && name.Length - slash - 1 is > 0 and <= 100)
            {
                PutString(header.AsSpan(345, 155), name[..slash]);
                PutString(header.AsSpan(0, 100), name[(slash + 1)..]);
                return true;
            }
        }

        return false;
    }

    /// <summary>As Go names it: path.Join(dir, "PaxHeaders.0", base), so "a/b/" gives "a/b/PaxHeaders.0".</summary>
    private static string PaxHeaderName(string name)
    {
        var slash = name.LastIndexOf('/');
        var dir = name[..(slash + 1)];
        var baseName = name[(slash + 1)..];
        var full = baseName.Length == 0 ? dir + "PaxHeaders.0" : dir + "PaxHeaders.0/" + baseName;
        var ascii = ToAscii(full);
        return ascii.Length > 100 ? ascii[..100] : ascii;
    }

    /// <summary>Go's best-effort toASCII: characters a ustar field cannot hold are dropped.</summary>
    private static string ToAscii(string value)
    {
        var ascii = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is > '\0' and < (char)0x80)
            {
                ascii.Append(c);
            }
        }

        return ascii.ToString();
    }

    private static bool IsPlainAscii(string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is '\0' or >= (char)0x80)
            {
                return false;
            }
        }

        return true;
    }

    private static void PutName(Span<byte> field, string value, string paxKey, SortedDictionary<string, byte[]> pax)
    {
        if (!IsPlainAscii(value, field.Length))
        {
            pax[paxKey] = Encoding.UTF8.GetBytes(value);
            return;
        }

        PutString(field, value);
    }

    private static void PutNumber(Span<byte> field, long value, long max, string paxKey, SortedDictionary<string, byte[]> pax)
    {
        if (value < 0 || value > max)
        {
            pax[paxKey] = Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            value = 0;
        }

        PutOctal(field, value);
    }

    /// <summary>Zero-padded octal digits filling the field but its last byte, which stays NUL.</summary>
    private static void PutOctal(Span<byte> field, long value)
    {
        for (var i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[^1] = 0;
    }

    /// <summary>ASCII text, truncated to the field (the full value is then in a PAX record).</summary>
    private static void PutString(Span<byte> field, string value)
    {
        var ascii = ToAscii(value);
        var n = Math.Min(field.Length, ascii.Length);
        for (var i = 0; i < n; i++)
        {
            field[i] = (byte)ascii[i];
        }
    }

    private static void SetChecksum(byte[] header)
    {
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }

        PutOctal(header.AsSpan(148, 7), sum);
    }

    /// <summary>"%d %s=%s\n" records, where the leading length counts the whole record, digits included.</summary>
    private static byte[] PaxRecords(SortedDictionary<string, byte[]> records)
    {
        using var buffer = new MemoryStream();
        Span<byte> digits = stackalloc byte[20];
        foreach (var (key, value) in records)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var bodyLength = 1 + keyBytes.Length + 1 + value.Length + 1;
            var length = bodyLength + 1;
            while (length != bodyLength + Digits(length))
            {
                length = bodyLength + Digits(length);
            }

            Utf8Formatter.TryFormat(length, digits, out var written);
            buffer.Write(digits[..written]);
            buffer.WriteByte((byte)' ');
            buffer.Write(keyBytes);
            buffer.WriteByte((byte)'=');
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private static int Digits(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
}
