#include "app/cli.hpp"

int main(int argc, char** argv) {
    return coalition::app::run(argc, argv);
}
