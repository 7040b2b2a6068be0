namespace Dockerbuild.Engine.Runtime;

/// <summary>Facts about the process that decide between root and rootless mechanics.</summary>
internal static class HostEnvironment
{
    public static bool IsRoot => Native.EffectiveUserId() == 0;

    /// <summary>
    /// True inside a user namespace other than the initial one (rootlesskit, unshare -r): the initial
    /// namespace maps the whole 32-bit range onto itself.
    /// </summary>
    public static bool InUserNamespace
    {
        get
        {
            try
            {
                var map = File.ReadAllText("/proc/self/uid_map").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
                return map is not ["0", "0", "4294967295"];
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The user id this process has in the initial namespace: its effective id mapped through
    /// /proc/self/uid_map (the same id outside a user namespace).
    /// </summary>
    public static long HostUserId
    {
        get
        {
            var uid = Native.EffectiveUserId();
            try
            {
                foreach (var line in File.ReadLines("/proc/self/uid_map"))
                {
                    var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length == 3 && long.TryParse(fields[0], out var inside) && long.TryParse(fields[1], out var outside)
                        && long.TryParse(fields[2], out var length) && uid >= inside && uid < inside + length)
                    {
                        return outside + (uid - inside);
                    }
                }
            }
            catch (IOException)
            {
            }

            return uid;
        }
    }

    /// <summary>
    /// The capabilities this process may hand on (its bounding set, by CAP_ number), read from
    /// /proc/self/status; null when unknown. A container cannot be given more.
    /// </summary>
    public static ulong? BoundingCapabilities
    {
        get
        {
            try
            {
                var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
                return line is not null && ulong.TryParse(line["CapBnd:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask)
                    ? mask
                    : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
