namespace Dockerbuild.Cli.Progress;

/// <summary>A terminal's size in character cells.</summary>
internal readonly record struct ConsoleSize(int Width, int Height)
{
    /// <summary>What a terminal that cannot say its size is taken to be.</summary>
    public static ConsoleSize Default => new(80, 25);

    /// <summary>The process console's size, or the default when there is none.</summary>
    public static ConsoleSize Current()
    {
        try
        {
            return Console.WindowWidth > 0 && Console.WindowHeight > 0 ? new ConsoleSize(Console.WindowWidth, Console.WindowHeight) : Default;
        }
        catch (IOException)
        {
            return Default;
        }
        catch (PlatformNotSupportedException)
        {
            return Default;
        }
    }
}
