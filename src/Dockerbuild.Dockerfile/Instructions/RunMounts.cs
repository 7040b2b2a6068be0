using System.Globalization;
using System.Text;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// Parses a <c>--mount</c> value (comma-separated, CSV-quoted <c>key=value</c> fields) as BuildKit does.
/// Without an expander (bind time) values holding <c>$</c> are kept as written and not validated, except
/// <c>from</c>, which must be a constant. Errors are <see cref="FormatException"/>; the binder adds the span.
/// </summary>
public static class RunMounts
{
    private static readonly string[] Keys =
        ["type", "from", "source", "src", "target", "dst", "destination", "readonly", "ro", "readwrite", "rw",
         "id", "sharing", "required", "mode", "uid", "gid", "size", "env"];

    private static readonly string[] TypeNames = ["bind", "cache", "tmpfs", "secret", "ssh"];

    public static RunMount Parse(string spec, Func<string, string>? expand = null)
    {
        var type = MountType.Bind;
        string? target = null, source = null, from = null, id = null, env = null;
        bool? readOnly = null;
        var required = false;
        MountSharing? sharing = null;
        uint? mode = null, uid = null, gid = null;
        long? size = null;
        string? sizeKey = null, requiredKey = null, envKey = null;

        foreach (var field in SplitCsv(spec))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro":
                        readOnly = true;
                        continue;
                    case "readwrite" or "rw":
                        readOnly = false;
                        continue;
                    case "required":
                        required = true;
                        requiredKey = key;
                        continue;
                    default:
                        throw new FormatException($"invalid field '{field}' must be a key=value pair");
                }
            }

            var value = field[(eq + 1)..];
            var deferred = false;
            if (expand is not null)
            {
                value = expand(value);
            }
            else if (value.Contains('$', StringComparison.Ordinal))
            {
                if (key == "from")
                {
                    throw new FormatException($"'{key}' doesn't support variable expansion, define alias stage instead");
                }

                deferred = true;
            }

            switch (key)
            {
                case "type":
                    if (!deferred)
                    {
                        type = ParseType(value);
                    }

                    break;
                case "from":
                    from = value;
                    break;
                case "source" or "src":
                    source = value;
                    break;
                case "target" or "dst" or "destination":
                    target = value;
                    break;
                case "readonly" or "ro":
                    readOnly = deferred ? readOnly : ParseBool(key, value);
                    break;
                case "readwrite" or "rw":
                    readOnly = deferred ? readOnly : !ParseBool(key, value);
                    break;
                case "required":
                    required = !deferred && ParseBool(key, value);
                    requiredKey = key;
                    break;
                case "id":
                    id = value;
                    break;
                case "sharing":
                    sharing = deferred ? sharing : value.ToLowerInvariant() switch
                    {
                        "shared" => MountSharing.Shared,
                        "private" => MountSharing.Private,
                        "locked" => MountSharing.Locked,
                        _ => throw new FormatException($"unsupported sharing value \"{value}\" (expected shared, private or locked)"),
                    };
                    break;
                case "mode":
                    mode = deferred ? mode : ParseUInt(value, 8, "mode");
                    break;
                case "uid":
                    uid = deferred ? uid : ParseUInt(value, 10, "uid");
                    break;
                case "gid":
                    gid = deferred ? gid : ParseUInt(value, 10, "gid");
                    break;
                case "size":
                    size = deferred ? size : ParseSize(value);
                    sizeKey = key;
                    break;
                case "env":
                    env = value;
                    envKey = key;
                    break;
                default:
                    throw new FormatException(Suggest.Append($"unexpected key '{key}' in '{field}'", key, Keys));
            }
        }

        Validate(type, requiredKey, sizeKey, envKey, mode, uid, gid, sharing, from, source, target, id, env);
        var defaultReadOnly = type is not (MountType.Cache or MountType.Tmpfs);
        return new RunMount(spec, type, target, source, from, readOnly ?? defaultReadOnly, id, sharing, mode, uid, gid, size, required, env);
    }

    private static void Validate(
        MountType type, string? requiredKey, string? sizeKey, string? envKey, uint? mode, uint? uid, uint? gid,
        MountSharing? sharing, string? from, string? source, string? target, string? id, string? env)
    {
        var typeName = TypeName(type);
        if (requiredKey is not null && type is not (MountType.Secret or MountType.Ssh))
        {
            throw new FormatException($"unexpected key '{requiredKey}' for mount type '{typeName}'");
        }

        if (sizeKey is not null && type != MountType.Tmpfs)
        {
            throw new FormatException($"unexpected key '{sizeKey}' for mount type '{typeName}'");
        }

        if (envKey is not null && type != MountType.Secret)
        {
            throw new FormatException($"unexpected key '{envKey}' for mount type '{typeName}'");
        }

        var fileInfoAllowed = type is MountType.Secret or MountType.Ssh or MountType.Cache;
        foreach (var (name, given) in new[] { ("mode", mode.HasValue), ("uid", uid.HasValue), ("gid", gid.HasValue) })
        {
            if (given && !fileInfoAllowed)
            {
                throw new FormatException($"{name} not allowed for \"{typeName}\" type mounts");
            }
        }

        if (sharing is not null && type != MountType.Cache)
        {
            throw new FormatException($"invalid cache sharing set for {typeName} mount");
        }

        if (type == MountType.Secret)
        {
            if (from is not null)
            {
                throw new FormatException("secret mount should not have a from");
            }

            if (source is null && target is null && id is null && env is null)
            {
                throw new FormatException("invalid secret mount: one of id, source, target or env is required");
            }

            if (source is not null && id is not null)
            {
                throw new FormatException("secret mount: both source and id can't be set");
            }
        }
    }

    private static string TypeName(MountType type) => type.ToString().ToLowerInvariant();

    private static MountType ParseType(string value) => value.ToLowerInvariant() switch
    {
        "bind" => MountType.Bind,
        "cache" => MountType.Cache,
        "tmpfs" => MountType.Tmpfs,
        "secret" => MountType.Secret,
        "ssh" => MountType.Ssh,
        _ => throw new FormatException(Suggest.Append($"unsupported mount type \"{value}\"", value, TypeNames)),
    };

    private static bool ParseBool(string key, string value) => GoBool.TryParse(value, out var b)
        ? b
        : throw new FormatException($"invalid value for {key}: {value}");

    private static uint ParseUInt(string value, int radix, string key)
    {
        try
        {
            var n = Convert.ToUInt64(value, radix);
            if (value.Length > 0 && n <= uint.MaxValue && value.All(c => radix == 8 ? c is >= '0' and <= '7' : char.IsAsciiDigit(c)))
            {
                return (uint)n;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
        }

        throw new FormatException($"invalid value {value} for {key}");
    }

    /// <summary>Docker's RAMInBytes: a number with an optional binary unit (k, m, g, t, p; optional i and b).</summary>
    private static long ParseSize(string value)
    {
        var s = value.Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }

        if (i > 0 && double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var unit = s[i..].TrimStart(' ').ToLowerInvariant();
            var prefix = unit.EndsWith('b') ? unit[..^1] : unit;
            prefix = prefix.EndsWith('i') ? prefix[..^1] : prefix;
            long? multiplier = prefix switch
            {
                "" => unit is "" or "b" ? 1 : null,
                "k" => 1L << 10,
                "m" => 1L << 20,
                "g" => 1L << 30,
                "t" => 1L << 40,
                "p" => 1L << 50,
                _ => null,
            };
            if (multiplier is { } m)
            {
                return (long)(number * m);
            }
        }

        throw new FormatException($"invalid size value: {value}");
    }

    /// <summary>One CSV record as Go's encoding/csv reads it: quoted fields may hold commas; "" is a quote.</summary>
    private static List<string> SplitCsv(string spec)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < spec.Length && spec[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= spec.Length)
                    {
                        throw new FormatException($"failed to parse csv mounts: extraneous or missing \" in quoted-field in '{spec}'");
                    }

                    if (spec[i] == '"')
                    {
                        if (i + 1 < spec.Length && spec[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(spec[i++]);
                }

                if (i < spec.Length && spec[i] != ',')
                {
                    throw new FormatException($"failed to parse csv mounts: extraneous or missing \" in quoted-field in '{spec}'");
                }
            }
            else
            {
                while (i < spec.Length && spec[i] != ',')
                {
                    if (spec[i] == '"')
                    {
                        throw new FormatException($"failed to parse csv mounts: bare \" in non-quoted-field in '{spec}'");
                    }

                    field.Append(spec[i++]);
                }
            }

            fields.Add(field.ToString());
            if (i >= spec.Length)
            {
                return fields;
            }

            i++;
        }
    }
}
