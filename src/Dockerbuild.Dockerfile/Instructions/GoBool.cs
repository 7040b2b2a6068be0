namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>Go's strconv.ParseBool, which BuildKit uses for mount options and check directives.</summary>
internal static class GoBool
{
    public static bool TryParse(string value, out bool result)
    {
        switch (value)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                result = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }
}
