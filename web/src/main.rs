fn main() {
    netpol_web::main_entry();
}
