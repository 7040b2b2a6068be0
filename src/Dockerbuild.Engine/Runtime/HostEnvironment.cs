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
}
