namespace Dockerbuild.Engine; internal static class Placeholder { }
