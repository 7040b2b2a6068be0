using System.Globalization;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>--chmod: an octal mode applied to every file and directory the step copies (not to symlinks or created parents).</summary>
internal static class CopyMode
{
    public static int? Parse(string? chmod)
    {
        if (string.IsNullOrEmpty(chmod))
        {
            return null;
        }

        if (chmod.All(c => c is >= '0' and <= '7') && chmod.Length <= 4)
        {
            return Convert.ToInt32(chmod, 8);
        }

        throw new CopyException(string.Create(CultureInfo.InvariantCulture, $"invalid --chmod={chmod}: only octal modes (such as 0755) are supported"));
    }
}
