using System.Globalization;
using System.Text;

namespace Dockerbuild.Engine.Runtime;

/// <summary>The mount points of this process's mount namespace (/proc/self/mountinfo).</summary>
internal static class MountTable
{
    /// <summary>Mount points strictly below <paramref name="directory"/>, deepest first (the order to unmount them).</summary>
    public static async Task<IReadOnlyList<string>> MountsBelowAsync(string directory, CancellationToken cancellationToken)
    {
        var prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";
        var lines = await File.ReadAllLinesAsync("/proc/self/mountinfo", cancellationToken).ConfigureAwait(false);
        return [.. lines
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => Unescape(fields[4]))
            .Where(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(mountPoint => mountPoint.Length)];
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo octal escapes.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
