using Microsoft.Build.Framework;

namespace Dockerbuild.Tasks;

/// <summary>Items of the form <c>&lt;DockerfileBuildArg Include="NAME" Value="..." /&gt;</c> as name/value pairs.</summary>
internal static class TaskItems
{
    public const string ValueMetadata = "Value";

    /// <summary>Later items win, as a later --build-arg does.</summary>
    public static Dictionary<string, string> Pairs(IEnumerable<ITaskItem>? items)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            pairs[item.ItemSpec] = item.GetMetadata(ValueMetadata);
        }

        return pairs;
    }
}
