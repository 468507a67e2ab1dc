#include "cli/main.h"

int main(int argc, char** argv) { return dbtrotate::cli::Main(argc, argv); }
