namespace Verity.Data;
