using Dockerbuild.Cli.Commands.Images;

namespace Dockerbuild.Cli.Progress;

/// <summary>Docker's progress text: <c>[=====&gt;     ]  12.3MB/45.6MB</c> (a 50-character bar, then current/total).</summary>
internal static class ProgressBar
{
    private const int Width = 50;

    public static string Format(long current, long total)
    {
        if (total <= 0)
        {
            return HumanUnits.Size(current).PadLeft(8);
        }

        var filled = (int)Math.Clamp(current * 100 / total / 2, 0, Width);
        return $"[{new string('=', filled)}>{new string(' ', Width - filled)}] {HumanUnits.Size(current),8}/{HumanUnits.Size(total)}";
    }
}
